using System.Globalization;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.LoadTests.Harness;

/// <summary>The node's cache hits by tier and its store reads, read from its /metrics exposition.</summary>
internal sealed record TierReading(double InProcess, double Redis, double Store)
{
    public static async Task<TierReading> ReadAsync(HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        return new TierReading(
            PrometheusText.Sum(text, "idres_cache_hits_total", "tier=\"in_process\""),
            PrometheusText.Sum(text, "idres_cache_hits_total", "tier=\"redis\""),
            PrometheusText.Sum(text, "idres_store_reads_total"));
    }

    /// <summary>"in-process 0, redis 123,456, store 12": what was counted since <paramref name="before"/>.</summary>
    public string Since(TierReading before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return string.Create(CultureInfo.InvariantCulture, $"in-process {InProcess - before.InProcess:N0}, redis {Redis - before.Redis:N0}, store {Store - before.Store:N0}");
    }
}
