using IdResolution.Core.Federation;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Security;
using IdResolution.Core.Telemetry;
using IdResolution.Core.Caching;
using IdResolution.Core.Escrow;

namespace IdResolution.Core.Resolution;

/// <summary>
/// What a resolution returns: the handle as registered and the values the caller may see; for another
/// node's handle the answer may be <see cref="Stale"/> (its node could not be reached), or, when the
/// client asked for no recursion, only the <see cref="Referral"/> (with an empty record).
/// </summary>
public sealed record Resolution(HandleId Handle, HandleRecord Record, IReadOnlyList<HandleValue> Values, Referral? Referral = null, bool Stale = false)
{
    /// <summary>SUCCESS, VALUES_NOT_FOUND when the handle exists but no value passed the filters, or PREFIX_REFERRAL.</summary>
    public HandleResponseCode Code => Referral is not null ? HandleResponseCode.PrefixReferral
        : Values.Count == 0 ? HandleResponseCode.ValuesNotFound : HandleResponseCode.Success;
}

/// <summary>How to resolve: <see cref="Authoritative"/> skips every cache (on every node); <see cref="NoRecursion"/> answers another node's handle with its referral.</summary>
public readonly record struct ResolveMode(bool Authoritative, bool NoRecursion = false);

/// <summary>
/// Resolves identifiers: parse, then cache, then store — or, for a handle another node holds, the
/// federated path (referral, then that node). The hot path of the node.
/// </summary>
public sealed class Resolver
{
    private readonly HandleGrammar _grammar;
    private readonly CoalescingRecordSource _source;
    private readonly NodeMetrics _metrics;
    private readonly AuthorizationPolicy _policy;
    private readonly Jurisdiction? _jurisdiction;
    private readonly FederatedResolver? _federation;
    private readonly RecursionMode _recursion;
    private readonly IEscrowStore? _escrow;

    // escrow: this node's copies of its children, which answer for a child under takeover (null when none is
    // configured, and a takeover is then answered with an error).
    public Resolver(HandleGrammar grammar, CoalescingRecordSource source, NodeMetrics metrics, AuthorizationPolicy policy,
        Jurisdiction? jurisdiction = null, FederatedResolver? federation = null, RecursionMode recursion = RecursionMode.All,
        IEscrowStore? escrow = null)
    {
        _escrow = escrow;
        _jurisdiction = jurisdiction;
        _federation = federation;
        _recursion = recursion;
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        ArgumentNullException.ThrowIfNull(grammar);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(metrics);
        _grammar = grammar;
        _source = source;
        _metrics = metrics;
    }

    /// <summary>
    /// Resolves one handle. Values without public read permission are returned only to callers the
    /// policy lets read them (and only when the value allows admin read); anonymous callers never see them.
    /// </summary>
    public ValueTask<Outcome<Resolution>> ResolveAsync(Caller caller, string handle, ValueFilter filter, bool authoritative, CancellationToken cancellationToken) =>
        ResolveAsync(caller, handle, filter, new ResolveMode(authoritative), cancellationToken);

    public async ValueTask<Outcome<Resolution>> ResolveAsync(Caller caller, string handle, ValueFilter filter, ResolveMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(filter);
        if (!_grammar.TryParse(handle, out var id, out var syntaxError))
        {
            return Finish(Outcome<Resolution>.Fail(HandleResponseCode.InvalidHandle, _grammar.Describe(syntaxError)));
        }

        _metrics.Prefixes.Add(id.Key.AsSpan(0, id.SlashIndex));

        if (_jurisdiction is not null && _federation is not null
            && await _jurisdiction.DecideAsync(id, cancellationToken) is { Holding: not Holding.Held } elsewhere)
        {
            return Finish(elsewhere.Takeover is { } takeover
                ? await FromEscrowAsync(caller, id, takeover, filter, cancellationToken)
                : await ResolveElsewhereAsync(caller, id, filter, mode, cancellationToken));
        }

        var authoritative = mode.Authoritative;
        var record = authoritative
            ? await _source.GetFromStoreAsync(id.Key, cancellationToken)
            : await _source.GetAsync(id.Key, cancellationToken);
        return await AnswerAsync(caller, id, record, filter, cancellationToken);
    }

    /// <summary>
    /// Resolves many handles in one go, one outcome per handle in the order given (duplicates answered each
    /// time, a bad handle failing only its own item). The handles this node holds are read together, one
    /// multi-get per cache tier and one from the store for the rest, so a batch costs about one read of wall
    /// time; another node's handles take the federated path one by one, as single resolves do.
    /// </summary>
    public async ValueTask<Outcome<Resolution>[]> ResolveManyAsync(Caller caller, IReadOnlyList<string> handles, ValueFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(handles);
        ArgumentNullException.ThrowIfNull(filter);
        var outcomes = new Outcome<Resolution>[handles.Count];
        var ids = new HandleId?[handles.Count];
        var keys = new List<string>(handles.Count);
        var held = new List<int>(handles.Count);
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (!_grammar.TryParse(handles[i], out var id, out var syntaxError))
            {
                outcomes[i] = Finish(Outcome<Resolution>.Fail(HandleResponseCode.InvalidHandle, _grammar.Describe(syntaxError)));
                continue;
            }

            if (_jurisdiction is not null && _federation is not null
                && await _jurisdiction.DecideAsync(id, cancellationToken) is { Holding: not Holding.Held } elsewhere)
            {
                outcomes[i] = Finish(elsewhere.Takeover is { } takeover
                    ? await FromEscrowAsync(caller, id, takeover, filter, cancellationToken)
                    : await ResolveElsewhereAsync(caller, id, filter, new ResolveMode(false), cancellationToken));
                continue;
            }

            ids[i] = id;
            keys.Add(id.Key);
            held.Add(i);
        }

        if (keys.Count == 0)
        {
            return outcomes;
        }

        var records = await _source.GetManyAsync(keys, cancellationToken);
        for (var k = 0; k < held.Count; k++)
        {
            var i = held[k];
            outcomes[i] = await AnswerAsync(caller, ids[i]!, records[k], filter, cancellationToken);
        }

        return outcomes;
    }

    private async ValueTask<Outcome<Resolution>> AnswerAsync(Caller caller, HandleId id, HandleRecord? record, ValueFilter filter, CancellationToken cancellationToken)
    {
        if (record is null)
        {
            return Finish(Outcome<Resolution>.Fail(HandleResponseCode.HandleNotFound, $"handle '{id.Text}' is not registered on this node"));
        }

        var hidden = HasNonPublic(record);
        var mayReadAdmin = hidden && caller.IsAuthenticated && await _policy.MayReadNonPublicAsync(caller, id, record, cancellationToken);
        return Finish(Outcome<Resolution>.Ok(new Resolution(id, record, Select(record, filter, hidden, mayReadAdmin))));
    }

    /// <summary>
    /// Another node's handle: its answer (only public values ever cross nodes), or its referral when the
    /// client asked for no recursion or <c>Federation:Recursion</c> does not allow it for this caller.
    /// </summary>
    private async ValueTask<Outcome<Resolution>> ResolveElsewhereAsync(Caller caller, HandleId id, ValueFilter filter, ResolveMode mode, CancellationToken cancellationToken)
    {
        var referralOnly = mode.NoRecursion || _recursion == RecursionMode.Off || (_recursion == RecursionMode.Authenticated && !caller.IsAuthenticated);
        var result = await _federation!.ResolveAsync(id, mode.Authoritative, referralOnly, cancellationToken);
        if (result.Referral is { } referral)
        {
            return Outcome<Resolution>.Ok(new Resolution(id, new HandleRecord(id.Text, [], 0), [], referral, result.Stale));
        }

        if (result.Record is not { } record)
        {
            return Outcome<Resolution>.Fail(result.Code, result.Message, result.Reason);
        }

        return Outcome<Resolution>.Ok(new Resolution(id, record, Select(record, filter, hidden: HasNonPublic(record), mayReadAdmin: false), Stale: result.Stale));
    }

    /// <summary>
    /// A taken-over child's handle, read-only from this node's escrow copy, with the permissions the child applies:
    /// public values to everyone; values readable by administrators only to this node's administrators, who act
    /// for the child while it is taken over (the child's own accounts are not known here). A handle the copy does
    /// not hold is not found, whether the child never registered it or the escrow had not applied it yet.
    /// </summary>
    private async ValueTask<Outcome<Resolution>> FromEscrowAsync(Caller caller, HandleId id, TakeoverMark takeover, ValueFilter filter, CancellationToken cancellationToken)
    {
        if (_escrow is null)
        {
            return Outcome<Resolution>.Fail(HandleResponseCode.Error,
                $"node {takeover.Prefix} is under takeover but this node has no escrow store configured, so '{id.Text}' cannot be answered; configure the escrow or hand the prefix back",
                TakeoverMark.ReasonName);
        }

        _metrics.FederatedAnswer("escrow");
        var record = await _escrow.GetAsync(takeover.Prefix, id.Key, cancellationToken);
        if (record is null && await _escrow.PositionAsync(takeover.Prefix, cancellationToken) is { AppliedAt: null } or { DumpOpen: true })
        {
            // No copy yet, or one being rebuilt from a dump: "not found" would be a false answer, and resolvers
            // elsewhere would drop the stale answers they still hold. Unavailable lets them keep serving those.
            return Outcome<Resolution>.Fail(HandleResponseCode.Error,
                $"node {takeover.Prefix} is under takeover, but this node's escrow copy of it is not complete (never pulled, or being rebuilt from a dump), so whether '{id.Text}' exists is not known here; retry later",
                FederatedResolver.UpstreamUnavailable);
        }

        if (record is null)
        {
            return Outcome<Resolution>.Fail(HandleResponseCode.HandleNotFound,
                $"handle '{id.Text}' is not in the escrow copy of node {takeover.Prefix}, which is under takeover and answered from that copy (not registered there, or registered after the last change the copy applied)");
        }

        var hidden = HasNonPublic(record);
        return Outcome<Resolution>.Ok(new Resolution(id, record, Select(record, filter, hidden, mayReadAdmin: hidden && caller.Kind == CallerKind.NodeAdministrator)));
    }

    private static bool HasNonPublic(HandleRecord record)
    {
        foreach (var value in record.Values)
        {
            if ((value.Permissions & ValuePermissions.PublicRead) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static IReadOnlyList<HandleValue> Select(HandleRecord record, ValueFilter filter, bool hidden, bool mayReadAdmin)
    {
        var all = record.Values;
        if (filter.IsEmpty && !hidden)
        {
            return all;
        }

        var selected = new List<HandleValue>(all.Count);
        foreach (var value in all)
        {
            var readable = (value.Permissions & ValuePermissions.PublicRead) != 0
                || (mayReadAdmin && (value.Permissions & ValuePermissions.AdminRead) != 0);
            if (readable && filter.Matches(value))
            {
                selected.Add(value);
            }
        }

        return selected;
    }

    private Outcome<Resolution> Finish(Outcome<Resolution> outcome)
    {
        _metrics.Resolution(outcome.IsSuccess ? outcome.Value.Code : outcome.Code);
        if (!outcome.IsSuccess)
        {
            _metrics.Error(outcome.Code);
        }

        return outcome;
    }
}
