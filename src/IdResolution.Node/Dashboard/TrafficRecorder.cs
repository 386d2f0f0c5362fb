using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using IdResolution.Core.Telemetry;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// Listens to the node's own instruments (the node's meter and ASP.NET Core's request durations, of this
/// host only) and keeps running totals since start: resolutions, registrations, errors by Handle code,
/// cache hits and misses by tier, resolution latency in buckets. Nothing on the request path changes:
/// measurements arrive on the threads that record them and cost one or two atomic adds here, no lock
/// and no allocation. <see cref="Read"/> copies the totals (once a second, by <see cref="StatusClock"/>).
/// </summary>
internal sealed class TrafficRecorder : IDisposable
{
    private const string HostingMeter = "Microsoft.AspNetCore.Hosting";
    private const int MaxCode = 1024;

    private readonly MeterListener _listener = new();
    private readonly object _scope;
    private readonly long[] _errorsByCode = new long[MaxCode];
    private readonly long[] _latency = new long[LatencyBuckets.Count];
    private readonly ConcurrentDictionary<string, TierCounts> _tiers = new(StringComparer.Ordinal);
    private long _resolutions;
    private long _registrations;

    public TrafficRecorder(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);

        // Meters from the host's factory carry it as their scope: another host in the same process (tests) is not counted.
        _scope = meters;
        _listener.InstrumentPublished = Subscribe;
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.SetMeasurementEventCallback<double>(OnDouble);
        _listener.Start();
    }

    private enum Kind
    {
        Resolutions,
        Registrations,
        Errors,
        CacheHits,
        CacheMisses,
        RequestDuration,
    }

    public TrafficTotals Read()
    {
        var tiers = _tiers.ToDictionary(t => t.Key, t => (Interlocked.Read(ref t.Value.Hits), Interlocked.Read(ref t.Value.Misses)), StringComparer.Ordinal);
        var errors = new SortedDictionary<int, long>();
        for (var code = 0; code < MaxCode; code++)
        {
            if (Interlocked.Read(ref _errorsByCode[code]) is var count and > 0)
            {
                errors[code] = count;
            }
        }

        var latency = new long[_latency.Length];
        for (var i = 0; i < latency.Length; i++)
        {
            latency[i] = Interlocked.Read(ref _latency[i]);
        }

        return new TrafficTotals(Interlocked.Read(ref _resolutions), Interlocked.Read(ref _registrations), errors, tiers, latency);
    }

    public void Dispose() => _listener.Dispose();

    private void Subscribe(Instrument instrument, MeterListener listener)
    {
        if (!ReferenceEquals(instrument.Meter.Scope, _scope))
        {
            return;
        }

        Kind? kind = (instrument.Meter.Name, instrument.Name) switch
        {
            (NodeMetrics.MeterName, "idres.resolutions") => Kind.Resolutions,
            (NodeMetrics.MeterName, "idres.registrations") => Kind.Registrations,
            (NodeMetrics.MeterName, "idres.errors") => Kind.Errors,
            (NodeMetrics.MeterName, "idres.cache.hits") => Kind.CacheHits,
            (NodeMetrics.MeterName, "idres.cache.misses") => Kind.CacheMisses,
            (HostingMeter, "http.server.request.duration") => Kind.RequestDuration,
            _ => null,
        };
        if (kind is not null)
        {
            listener.EnableMeasurementEvents(instrument, kind.Value);
        }
    }

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch ((Kind)state!)
        {
            case Kind.Resolutions:
                Interlocked.Add(ref _resolutions, value);
                break;
            case Kind.Registrations:
                Interlocked.Add(ref _registrations, value);
                break;
            case Kind.Errors:
                if (Code(tags) is var code and >= 0)
                {
                    Interlocked.Add(ref _errorsByCode[code], value);
                }

                break;
            case Kind.CacheHits:
                Interlocked.Add(ref Tier(tags).Hits, value);
                break;
            case Kind.CacheMisses:
                Interlocked.Add(ref Tier(tags).Misses, value);
                break;
        }
    }

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if ((Kind)state! != Kind.RequestDuration)
        {
            return;
        }

        string? route = null;
        string? method = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "http.route")
            {
                route = tag.Value as string;
            }
            else if (tag.Key == "http.request.method")
            {
                method = tag.Value as string;
            }
        }

        if (ResolutionRoutes.IsResolution(route, method))
        {
            Interlocked.Increment(ref _latency[LatencyBuckets.IndexOf(value)]);
        }
    }

    private TierCounts Tier(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "tier" && tag.Value is string tier)
            {
                return _tiers.GetOrAdd(tier, static _ => new TierCounts());
            }
        }

        return _tiers.GetOrAdd("unknown", static _ => new TierCounts());
    }

    private static int Code(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "code" && tag.Value is int code)
            {
                return code is >= 0 and < MaxCode ? code : MaxCode - 1;
            }
        }

        return -1;
    }

    private sealed class TierCounts
    {
        public long Hits;
        public long Misses;
    }
}

/// <summary>The running totals at one moment: since start, per Handle code and cache tier, and resolution latency buckets.</summary>
internal sealed record TrafficTotals(
    long Resolutions,
    long Registrations,
    IReadOnlyDictionary<int, long> ErrorsByCode,
    IReadOnlyDictionary<string, (long Hits, long Misses)> Tiers,
    long[] Latency)
{
    public static TrafficTotals Zero { get; } = new(0, 0, new Dictionary<int, long>(), new Dictionary<string, (long, long)>(), new long[LatencyBuckets.Count]);

    public long Errors => ErrorsByCode.Values.Sum();
}
