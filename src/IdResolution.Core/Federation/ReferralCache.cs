using System.Collections.Concurrent;

namespace IdResolution.Core.Federation;

/// <summary>
/// Referrals by the prefix they are for, each fresh for its TTL (capped by
/// <c>Federation:ReferralTtlSeconds</c>) and kept stale after that for answering while the hierarchy above
/// cannot be reached. A handle's referral is the one of its longest cached prefix. Also remembers, per
/// prefix, when a node that could not be reached may be tried again, so an outage costs one attempt per
/// prefix per <c>Federation:StaleRetrySeconds</c>, not one per request.
/// </summary>
public sealed class ReferralCache
{
    private readonly StaleStore<Referral> _referrals;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _retryAfter = new(StringComparer.Ordinal);
    private readonly TimeSpan _maxTtl;
    private readonly TimeSpan _retryInterval;
    private readonly TimeProvider _time;

    public ReferralCache(FederationOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _maxTtl = TimeSpan.FromSeconds(options.ReferralTtlSeconds);
        _retryInterval = TimeSpan.FromSeconds(options.StaleRetrySeconds);
        _referrals = new StaleStore<Referral>(options.StaleMaxEntries, TimeSpan.FromSeconds(options.MaxStaleSeconds), time);
    }

    public int Count => _referrals.Count;

    /// <summary>Caches <paramref name="referral"/> under its prefix (canonical key) for its TTL, at most the configured cap.</summary>
    public void Put(string prefixKey, Referral referral)
    {
        ArgumentNullException.ThrowIfNull(referral);
        var ttl = referral.TimeToLive < _maxTtl ? referral.TimeToLive : _maxTtl;
        _referrals.Put(prefixKey, referral, _time.GetUtcNow() + ttl);
        _retryAfter.TryRemove(prefixKey, out _);
    }

    /// <summary>The referral of the longest cached prefix of <paramref name="prefixKey"/>: fresh only, or stale too.</summary>
    public (Referral Referral, string PrefixKey, bool Stale)? Find(string prefixKey, bool allowStale)
    {
        for (var candidate = prefixKey; candidate.Length > 0; candidate = Parent(candidate))
        {
            if (_referrals.TryGet(candidate, out var referral, out var expired) && (allowStale || !expired))
            {
                return (referral, candidate, expired);
            }
        }

        return null;
    }

    public void Forget(string prefixKey) => _referrals.Remove(prefixKey);

    /// <summary>Whether the node behind <paramref name="prefixKey"/> may be tried now (not within the retry interval of a failure).</summary>
    public bool MayRetry(string prefixKey) => !_retryAfter.TryGetValue(prefixKey, out var after) || _time.GetUtcNow() >= after;

    /// <summary>Records a failure to reach the node behind <paramref name="prefixKey"/>; stale answers until the interval has passed.</summary>
    public void Failed(string prefixKey) => _retryAfter[prefixKey] = _time.GetUtcNow() + _retryInterval;

    private static string Parent(string prefixKey)
    {
        var dot = prefixKey.LastIndexOf('.');
        return dot < 0 ? string.Empty : prefixKey[..dot];
    }
}
