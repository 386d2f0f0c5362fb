using System.Collections.Concurrent;
using System.Diagnostics;
using IdResolution.Core.Caching;
using IdResolution.Core.Federation;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Telemetry;

namespace IdResolution.Core.Resolution;

/// <summary>What resolving another node's handle gave: its record, a referral for the client, or a Handle code.</summary>
public sealed record FederatedResult(HandleResponseCode Code, string Message, HandleRecord? Record = null, Referral? Referral = null, bool Stale = false, string? Reason = null);

/// <summary>
/// Resolution of handles this node does not hold: find the referral for the handle's prefix (this node's
/// own prefix handles, the referral cache, or a lookup that starts at the parent and follows upward
/// referrals), then ask the referred node, following further referrals (secondary → enterprise) up to
/// <c>Federation:MaxReferrals</c>. Every node-to-node call is non-recursive; this class counts the hops, so a
/// loop ends with Handle code 6. Answers are cached in the node's tiers by their record TTL (one remote call
/// per handle however many clients ask at once; one referral lookup per prefix likewise) and kept in a
/// stale store: while a node cannot be reached its last answers are served, marked stale, at once when its
/// circuit is open, and the node is tried again at most every <c>Federation:StaleRetrySeconds</c> per prefix.
/// </summary>
public sealed class FederatedResolver
{
    /// <summary>The reason of a code-2 answer when the node that holds a handle cannot be reached and nothing is known of it.</summary>
    public const string UpstreamUnavailable = "UPSTREAM_UNAVAILABLE";

    private readonly HandleGrammar _grammar;
    private readonly ReferralAuthority _authority;
    private readonly ReferralCache _referrals;
    private readonly StaleStore<HandleRecord> _answers;
    private readonly INodeLink? _link;
    private readonly CoalescingRecordSource _source;
    private readonly CacheTtlPolicy _ttl;
    private readonly FederationOptions _options;
    private readonly TimeProvider _time;
    private readonly NodeMetrics _metrics;
    private readonly ConcurrentDictionary<string, Task<ReferralLookup>> _lookups = new(StringComparer.Ordinal);

    public FederatedResolver(HandleGrammar grammar, ReferralAuthority authority, ReferralCache referrals, INodeLink? link, CoalescingRecordSource source,
        CacheTtlPolicy ttl, FederationOptions options, TimeProvider time, NodeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(referrals);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(ttl);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        _grammar = grammar;
        _authority = authority;
        _referrals = referrals;
        _link = link;
        _source = source;
        _ttl = ttl;
        _options = options;
        _time = time;
        _metrics = metrics;
        _answers = new StaleStore<HandleRecord>(options.StaleMaxEntries, TimeSpan.FromSeconds(options.MaxStaleSeconds), time);
    }

    public ReferralCache Referrals => _referrals;

    /// <summary>
    /// Resolves <paramref name="id"/> at the node that holds it, or (<paramref name="referralOnly"/>) answers
    /// the referral. <paramref name="authoritative"/> skips every cache, here and on every hop.
    /// </summary>
    public async ValueTask<FederatedResult> ResolveAsync(HandleId id, bool authoritative, bool referralOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var activity = NodeActivity.Source.StartActivity("federation.resolve", ActivityKind.Internal);
        activity?.SetTag("handle.prefix", id.Prefix.ToString());
        var prefixKey = PrefixKeyOf(id);
        var found = await FindReferralAsync(id, prefixKey, fresh: authoritative, cancellationToken);
        if (found.Referral is not { } referral)
        {
            return Unresolved(id, found);
        }

        if (referralOnly)
        {
            _metrics.FederatedAnswer("referral");
            return new FederatedResult(HandleResponseCode.PrefixReferral, $"'{id.Text}' is held by the node of prefix {referral.Prefix}", Referral: referral, Stale: found.Stale);
        }

        // The node behind the referral cannot be reached and was tried within the retry interval: the last answer, at once.
        if (_link is not null && (_link.IsCircuitOpen(referral.Node) || !_referrals.MayRetry(referral.Prefix)) && StaleAnswer(id) is { } early)
        {
            return early;
        }

        try
        {
            var record = authoritative
                ? await FetchAsync(id, referral, authoritative: true, cancellationToken)
                : await _source.GetAsync(id.Key, _ => FetchAsync(id, referral, authoritative: false, CancellationToken.None), cancellationToken);
            if (record is null)
            {
                return new FederatedResult(HandleResponseCode.HandleNotFound, $"handle '{id.Text}' is not registered at the node of prefix {referral.Prefix}");
            }

            return new FederatedResult(HandleResponseCode.Success, string.Empty, record);
        }
        catch (RemoteUnavailableException failure)
        {
            _referrals.Failed(referral.Prefix);
            activity?.SetStatus(ActivityStatusCode.Error, failure.Message);
            return StaleAnswer(id) ?? Unavailable(id, failure.Message);
        }
        catch (RemoteAnswerException answer)
        {
            return new FederatedResult(answer.Code, answer.Message);
        }
    }

    /// <summary>The canonical prefix a referral is looked up for: the handle's, or for a prefix handle the prefix it names.</summary>
    public static string PrefixKeyOf(HandleId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.IsPrefixHandle ? id.Key[(id.SlashIndex + 1)..] : id.PrefixKey;
    }

    /// <summary>
    /// Asks the referred node, following its referrals on. A failed call first looks the referral up again,
    /// skipping the cache (the node may have moved or been taken over); a different node is tried once.
    /// </summary>
    private async Task<HandleRecord?> FetchAsync(HandleId id, Referral referral, bool authoritative, CancellationToken cancellationToken)
    {
        var node = referral.Node;
        var looked = false;
        for (var hop = 0; hop < _options.MaxReferrals; hop++)
        {
            RemoteAnswer answer;
            try
            {
                answer = await Link.ResolveAsync(node, id.Text, authoritative, cancellationToken);
            }
            catch (RemoteUnavailableException) when (!looked)
            {
                looked = true;
                var again = await FindReferralAsync(id, PrefixKeyOf(id), fresh: true, cancellationToken);
                if (again.Referral is not { } moved || again.Stale || SameNode(moved.Node, node))
                {
                    throw;
                }

                node = moved.Node;
                continue;
            }

            switch (answer.Code)
            {
                case HandleResponseCode.Success when answer.Record is { } record:
                    _metrics.FederatedAnswer("remote");
                    _answers.Put(id.Key, record, _time.GetUtcNow() + _ttl.For(record));
                    return record;
                case HandleResponseCode.HandleNotFound:
                    _answers.Remove(id.Key);
                    return null;
                case HandleResponseCode.PrefixReferral when answer.Referral is { Upward: false } next:
                    if (_grammar.TryParsePrefix(next.Prefix, out var nextKey, out _))
                    {
                        _referrals.Put(nextKey, next);
                    }

                    node = next.Node;
                    continue;
                case HandleResponseCode.ServerNotResponsible when !looked:
                    // The cached referral was wrong or is out of date: look it up afresh, once.
                    looked = true;
                    var fresh = await FindReferralAsync(id, PrefixKeyOf(id), fresh: true, cancellationToken);
                    if (fresh.Referral is not { } corrected || SameNode(corrected.Node, node))
                    {
                        throw new RemoteAnswerException(HandleResponseCode.HandleNotFound, $"no node of the hierarchy holds '{id.Text}'");
                    }

                    node = corrected.Node;
                    continue;
                default:
                    throw new RemoteAnswerException(answer.Code == HandleResponseCode.PrefixReferral ? HandleResponseCode.HandleNotFound : answer.Code,
                        answer.Message.Length > 0 ? answer.Message : $"the node of prefix {node.Prefix} answered {(int)answer.Code} for '{id.Text}'");
            }
        }

        throw new RemoteAnswerException(HandleResponseCode.RecursionCountTooHigh,
            $"resolving '{id.Text}' followed {_options.MaxReferrals} referrals without an answer (Federation:MaxReferrals): the prefix handles refer in a loop or too deep");
    }

    private async ValueTask<ReferralLookup> FindReferralAsync(HandleId id, string prefixKey, bool fresh, CancellationToken cancellationToken)
    {
        if (!fresh && _referrals.Find(prefixKey, allowStale: false) is { } cached)
        {
            _metrics.Referral("cache");
            return new ReferralLookup(cached.Referral, false, null);
        }

        // This node's own prefix handles first: a top level knows every prefix of its tree, a node its delegated children.
        if (await _authority.LookupAsync(prefixKey, cancellationToken) is { Upward: false } local)
        {
            _metrics.Referral("local");
            return new ReferralLookup(local, false, null);
        }

        if (_link is null || _authority.Parent is null)
        {
            return new ReferralLookup(null, false, null);
        }

        // Concurrent lookups for one prefix share one call: 1,000 handles under a prefix cost one lookup at the top level.
        while (true)
        {
            if (_lookups.TryGetValue(prefixKey, out var running))
            {
                return await running.WaitAsync(cancellationToken);
            }

            var completion = new TaskCompletionSource<ReferralLookup>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_lookups.TryAdd(prefixKey, completion.Task))
            {
                // A lookup that finished between this caller's cache miss and here has cached its referral: use it
                // rather than asking again.
                if (!fresh && _referrals.Find(prefixKey, allowStale: false) is { } justCached)
                {
                    var found = new ReferralLookup(justCached.Referral, false, null);
                    completion.TrySetResult(found);
                    _lookups.TryRemove(new KeyValuePair<string, Task<ReferralLookup>>(prefixKey, completion.Task));
                    _metrics.Referral("cache");
                    return found;
                }

                _ = RunLookupAsync(id, prefixKey, completion);
                return await completion.Task.WaitAsync(cancellationToken);
            }
        }
    }

    private async Task RunLookupAsync(HandleId id, string prefixKey, TaskCompletionSource<ReferralLookup> completion)
    {
        try
        {
            completion.TrySetResult(await LookUpAsync(id, prefixKey));
        }
        catch (Exception exception)
        {
            completion.TrySetException(exception);
        }
        finally
        {
            _lookups.TryRemove(new KeyValuePair<string, Task<ReferralLookup>>(prefixKey, completion.Task));
        }
    }

    /// <summary>Starts at the parent and follows upward referrals to a node that knows the prefix; stale referrals while none can be reached.</summary>
    private async Task<ReferralLookup> LookUpAsync(HandleId id, string prefixKey)
    {
        using var activity = NodeActivity.Source.StartActivity("federation.referral", ActivityKind.Internal);
        var node = _authority.Parent!;
        try
        {
            for (var hop = 0; hop < _options.MaxReferrals; hop++)
            {
                var answer = await Link.GetReferralAsync(node, id.Text, CancellationToken.None);
                if (answer is not { Code: HandleResponseCode.PrefixReferral, Referral: { } referral })
                {
                    return new ReferralLookup(null, false, null, answer.Code == HandleResponseCode.RecursionCountTooHigh ? answer.Code : null);
                }

                if (!referral.Upward)
                {
                    _metrics.Referral("lookup");
                    if (_grammar.TryParsePrefix(referral.Prefix, out var key, out _))
                    {
                        _referrals.Put(key, referral);
                    }

                    return new ReferralLookup(referral, false, null);
                }

                node = referral.Node;
            }

            return new ReferralLookup(null, false, null, HandleResponseCode.RecursionCountTooHigh);
        }
        catch (RemoteUnavailableException failure)
        {
            if (_referrals.Find(prefixKey, allowStale: true) is { } stale)
            {
                _metrics.Referral("stale");
                return new ReferralLookup(stale.Referral, true, failure.Message);
            }

            return new ReferralLookup(null, false, failure.Message);
        }
    }

    private FederatedResult? StaleAnswer(HandleId id)
    {
        if (!_answers.TryGet(id.Key, out var record, out _))
        {
            return null;
        }

        _metrics.FederatedAnswer("stale");
        return new FederatedResult(HandleResponseCode.Success, string.Empty, record, Stale: true);
    }

    private FederatedResult Unresolved(HandleId id, ReferralLookup found)
    {
        if (found.Failure is { } failure)
        {
            return Unavailable(id, failure);
        }

        if (found.Code == HandleResponseCode.RecursionCountTooHigh)
        {
            return new FederatedResult(HandleResponseCode.RecursionCountTooHigh,
                $"looking up the node of '{id.Text}' followed {_options.MaxReferrals} referrals without an answer (Federation:MaxReferrals)");
        }

        return new FederatedResult(HandleResponseCode.HandleNotFound, $"no node of the hierarchy holds prefix {id.Prefix.ToString()} of '{id.Text}'");
    }

    private FederatedResult Unavailable(HandleId id, string why)
    {
        _metrics.FederatedAnswer("unavailable");
        return new FederatedResult(HandleResponseCode.Error, $"the node that holds '{id.Text}' cannot be reached and nothing of it is known here ({why}); retry later",
            Reason: UpstreamUnavailable);
    }

    private INodeLink Link => _link ?? throw new InvalidOperationException("This node has no link to other nodes.");

    private static bool SameNode(RemoteNode a, RemoteNode b) =>
        string.Equals(a.Prefix, b.Prefix, StringComparison.OrdinalIgnoreCase)
        && a.Endpoints.Select(e => e.GrpcUrl).SequenceEqual(b.Endpoints.Select(e => e.GrpcUrl), StringComparer.OrdinalIgnoreCase);

    private readonly record struct ReferralLookup(Referral? Referral, bool Stale, string? Failure, HandleResponseCode? Code = null);

    /// <summary>A remote node's answer that ends the resolution with its code (carried out of the shared load).</summary>
    private sealed class RemoteAnswerException(HandleResponseCode code, string message) : Exception(message)
    {
        public HandleResponseCode Code { get; } = code;
    }
}
