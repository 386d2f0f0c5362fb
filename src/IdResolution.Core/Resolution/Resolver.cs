using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Security;
using IdResolution.Core.Telemetry;
using IdResolution.Core.Caching;

namespace IdResolution.Core.Resolution;

/// <summary>What a resolution returns: the handle as registered and the values the caller may see.</summary>
public sealed record Resolution(HandleId Handle, HandleRecord Record, IReadOnlyList<HandleValue> Values)
{
    /// <summary>SUCCESS, or VALUES_NOT_FOUND when the handle exists but no value passed the filters.</summary>
    public HandleResponseCode Code => Values.Count == 0 ? HandleResponseCode.ValuesNotFound : HandleResponseCode.Success;
}

/// <summary>Resolves identifiers: parse, then cache, then store. The hot path of the node.</summary>
public sealed class Resolver
{
    private readonly HandleGrammar _grammar;
    private readonly CoalescingRecordSource _source;
    private readonly NodeMetrics _metrics;
    private readonly AuthorizationPolicy _policy;

    public Resolver(HandleGrammar grammar, CoalescingRecordSource source, NodeMetrics metrics, AuthorizationPolicy policy)
    {
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
    public async ValueTask<Outcome<Resolution>> ResolveAsync(Caller caller, string handle, ValueFilter filter, bool authoritative, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(filter);
        if (!_grammar.TryParse(handle, out var id, out var syntaxError))
        {
            return Finish(Outcome<Resolution>.Fail(HandleResponseCode.InvalidHandle, _grammar.Describe(syntaxError)));
        }

        var record = authoritative
            ? await _source.GetFromStoreAsync(id.Key, cancellationToken)
            : await _source.GetAsync(id.Key, cancellationToken);
        if (record is null)
        {
            return Finish(Outcome<Resolution>.Fail(HandleResponseCode.HandleNotFound, $"handle '{id.Text}' is not registered on this node"));
        }

        var hidden = HasNonPublic(record);
        var mayReadAdmin = hidden && caller.IsAuthenticated && await _policy.MayReadNonPublicAsync(caller, id, record, cancellationToken);
        return Finish(Outcome<Resolution>.Ok(new Resolution(id, record, Select(record, filter, hidden, mayReadAdmin))));
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
