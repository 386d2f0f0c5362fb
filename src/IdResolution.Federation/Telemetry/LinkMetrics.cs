using System.Diagnostics.Metrics;
using IdResolution.Core.Telemetry;

namespace IdResolution.Federation.Telemetry;

/// <summary>How each remote node is doing right now, for the gauges.</summary>
internal readonly record struct NodeReading(string Tag, int BreakerState, int InFlight);

/// <summary>
/// The instruments of calls to other nodes, on their own meter (<see cref="MeterName"/>, which the host
/// exports): every call's latency by remote node, method and outcome (its count is the call count), the
/// hedged and retried attempts, and per node its circuit state and calls in flight.
/// </summary>
internal sealed class LinkMetrics : IDisposable
{
    public const string MeterName = "IdResolution.Federation";

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _hedges;
    private readonly Counter<long> _retries;

    public LinkMetrics(IMeterFactory? meters, Func<IEnumerable<NodeReading>> nodes)
    {
        Meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _duration = Meter.CreateHistogram("idres.federation.call.duration", unit: "s",
            description: "Calls to other nodes, by remote node, method, outcome (answered, timeout, unavailable, tls, circuit_open, busy, refused) and the Handle code answered.",
            tags: null, advice: DurationBuckets.Advice);
        _hedges = Meter.CreateCounter<long>("idres.federation.hedges", description: "Resolves and referral lookups also sent to a node's next site because its first was slow or failed, by remote node.");
        _retries = Meter.CreateCounter<long>("idres.federation.retries", description: "Calls to other nodes sent again after a failure, by remote node and method.");
        Meter.CreateObservableGauge("idres.federation.breaker.state", () => Read(nodes(), reading => reading.BreakerState, Math.Max),
            description: "Circuit of each remote node: 0 closed, 1 open, 2 half-open (probing), 3 isolated.");
        Meter.CreateObservableGauge("idres.federation.in_flight", () => Read(nodes(), reading => reading.InFlight, (a, b) => a + b),
            description: "Calls in flight to each remote node.");
    }

    /// <summary>The meter, for tests that listen to this link's instruments only.</summary>
    public Meter Meter { get; }

    public void Call(string node, string method, string outcome, int code, TimeSpan elapsed) =>
        _duration.Record(elapsed.TotalSeconds, [new("node", node), new("method", method), new("outcome", outcome), new("code", code)]);

    public void Hedged(string node) => _hedges.Add(1, new KeyValuePair<string, object?>("node", node));

    public void Retried(string node, string method) => _retries.Add(1, new KeyValuePair<string, object?>("node", node), new KeyValuePair<string, object?>("method", method));

    public void Dispose() => Meter.Dispose();

    /// <summary>One measurement per tag: nodes past the tag limit share <see cref="NodeTags.Other"/>, combined.</summary>
    private static IEnumerable<Measurement<int>> Read(IEnumerable<NodeReading> nodes, Func<NodeReading, int> value, Func<int, int, int> combine) =>
        nodes.GroupBy(node => node.Tag, StringComparer.Ordinal)
            .Select(group => new Measurement<int>(group.Select(value).Aggregate(combine), new KeyValuePair<string, object?>("node", group.Key)));
}
