using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace IdResolution.Core.Telemetry;

/// <summary>
/// The node's own instruments. Exported by the host through OpenTelemetry (Prometheus names get a
/// <c>_total</c> suffix, e.g. <c>idres_resolutions_total</c>). Tags are low-cardinality on purpose.
/// </summary>
public sealed class NodeMetrics : IDisposable
{
    public const string MeterName = "IdResolution";
    public const string InProcessTier = "in_process";

    // A tag value is an object: an int code boxed per call would be an allocation on every resolution.
    private static readonly object[] BoxedCodes = [.. Enumerable.Range(0, 1024).Select(code => (object)code)];

    private readonly Meter _meter;
    private readonly Counter<long> _resolutions;
    private readonly Counter<long> _registrations;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _storeReads;
    private readonly Histogram<double> _storeWriteSeconds;
    private readonly Counter<long> _referrals;
    private readonly Counter<long> _federatedAnswers;
    private readonly Counter<long> _federationServed;

    public NodeMetrics(IMeterFactory meterFactory)
        : this(meterFactory?.Create(MeterName) ?? throw new ArgumentNullException(nameof(meterFactory)))
    {
    }

    private NodeMetrics(Meter meter)
    {
        _meter = meter;
        _resolutions = meter.CreateCounter<long>("idres.resolutions", description: "Handles resolved, by outcome (the Handle response code).");
        _registrations = meter.CreateCounter<long>("idres.registrations", description: "Write operations on handles, by operation and outcome.");
        _cacheHits = meter.CreateCounter<long>("idres.cache.hits", description: "Resolution cache hits, by tier.");
        _cacheMisses = meter.CreateCounter<long>("idres.cache.misses", description: "Resolution cache misses, by tier.");
        _errors = meter.CreateCounter<long>("idres.errors", description: "Requests answered with an error, by Handle response code.");
        _storeReads = meter.CreateCounter<long>("idres.store.reads", description: "Record reads that reached the store.");
        _referrals = meter.CreateCounter<long>("idres.federation.referrals", description: "Referrals used to resolve other nodes' handles, by where they came from (local, cache, lookup, stale).");
        _federatedAnswers = meter.CreateCounter<long>("idres.federation.answers", description: "Resolutions of other nodes' handles, by where the answer came from (cache, remote, stale, referral, unavailable).");
        _federationServed = meter.CreateCounter<long>("idres.federation.served", description: "Calls other nodes made to this one, by method (referral, resolve, file; probe: a child checking its link).");
        _storeWriteSeconds = meter.CreateHistogram("idres.store.write.duration", unit: "s", description: "Time to make a store write durable.", tags: null, advice: DurationBuckets.Advice);
    }

    /// <summary>The busiest prefixes since start, for the operator's status (bounded; never a metric label per prefix).</summary>
    public TopPrefixes Prefixes { get; } = new();

    /// <summary>The code as a tag value, boxed once per code (every Handle code is below 1024).</summary>
    internal static object Boxed(HandleResponseCode code) => (uint)code < (uint)BoxedCodes.Length ? BoxedCodes[(int)code] : (int)code;

    /// <summary>Metrics for code that runs without a host (tests, tools).</summary>
    public static NodeMetrics CreateStandalone() => new(new Meter(MeterName));

    public void Resolution(HandleResponseCode outcome) => _resolutions.Add(1, new KeyValuePair<string, object?>("code", Boxed(outcome)));

    public void Registration(string operation, HandleResponseCode outcome) =>
        _registrations.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("code", Boxed(outcome)));

    public void CacheHit(string tier) => _cacheHits.Add(1, new KeyValuePair<string, object?>("tier", tier));

    public void CacheMiss(string tier) => _cacheMisses.Add(1, new KeyValuePair<string, object?>("tier", tier));

    public void Error(HandleResponseCode code) => _errors.Add(1, new KeyValuePair<string, object?>("code", Boxed(code)));

    public void StoreRead() => _storeReads.Add(1);

    public void StoreReads(int count) => _storeReads.Add(count);

    public void StoreWrite(TimeSpan elapsed) => _storeWriteSeconds.Record(elapsed.TotalSeconds);

    /// <summary>A referral used: <c>local</c> (this node's own prefix handles), <c>cache</c>, <c>lookup</c> (asked another node) or <c>stale</c>.</summary>
    public void Referral(string source) => _referrals.Add(1, new KeyValuePair<string, object?>("source", source));

    /// <summary>Where the answer for another node's handle came from: <c>cache</c>, <c>remote</c>, <c>stale</c>, <c>referral</c> (303 to the client) or <c>unavailable</c>.</summary>
    public void FederatedAnswer(string source) => _federatedAnswers.Add(1, new KeyValuePair<string, object?>("source", source));

    /// <summary>A call another node made here: <c>referral</c>, <c>resolve</c> or <c>file</c>.</summary>
    public void FederationServed(string method) => _federationServed.Add(1, new KeyValuePair<string, object?>("method", method));

    /// <summary>Reports the filing backlog (change-log entries not yet filed with the parent, and the age of the oldest) when metrics are collected.</summary>
    public void ObserveFiling(Func<long> backlog, Func<double> oldestSeconds)
    {
        _meter.CreateObservableGauge("idres.federation.filing.backlog", backlog, description: "Change-log entries not yet filed with the parent.");
        _meter.CreateObservableGauge("idres.federation.filing.oldest", oldestSeconds, unit: "s", description: "Age of the oldest change not yet filed with the parent.");
    }

    /// <summary>Reports how far the parent's escrow of this node is behind, and whether retention is about to drop what it lacks.</summary>
    public void ObserveEscrowDeposit(Func<long> lagEntries, Func<double> lagSeconds, Func<int> atRisk)
    {
        _meter.CreateObservableGauge("idres.escrow.deposit.lag.entries", lagEntries, description: "Change-log entries the parent's escrow has not applied yet.");
        _meter.CreateObservableGauge("idres.escrow.deposit.lag.seconds", lagSeconds, unit: "s", description: "Age of the oldest change the parent's escrow has not applied yet.");
        _meter.CreateObservableGauge("idres.escrow.deposit.at_risk", atRisk, description: "1 while retention will drop, within the hour, change-log entries the parent's escrow has not applied.");
    }

    /// <summary>Reports, on a parent, how far its escrow copy of each child is behind that child's change log (tag <c>node</c>).</summary>
    public void ObserveEscrowCopies(Func<IEnumerable<Measurement<long>>> lagEntries, Func<IEnumerable<Measurement<double>>> lagSeconds)
    {
        _meter.CreateObservableGauge("idres.escrow.lag.entries", lagEntries, description: "Change-log entries of a child its escrow copy here has not applied yet.");
        _meter.CreateObservableGauge("idres.escrow.lag.seconds", lagSeconds, unit: "s", description: "Age, at most, of the oldest change of a child its escrow copy here has not applied yet.");
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>The node's trace source; spans cover the slow paths (store reads, writes), not cache hits.</summary>
public static class NodeActivity
{
    public const string SourceName = "IdResolution";

    public static ActivitySource Source { get; } = new(SourceName);
}
