using IdResolution.Core.Caching;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Security;

namespace IdResolution.Core.Federation;

/// <summary>
/// Which admitted child, if any, is under takeover for a prefix: the child whose delegated prefix is the
/// prefix or an ancestor of it (so the prefixes it allocated and filed with its own sites are covered too), read
/// from the prefix handles as cached here — a declaration or hand-back writes the prefix handle, which
/// invalidates them. A prefix filed under the child with another node's sites (an enterprise node that runs its
/// own node) is that node's: its handles are not in the child's escrow copy, so the takeover does not cover it.
/// </summary>
public sealed class TakeoverLookup
{
    private readonly HandleGrammar _grammar;
    private readonly Jurisdiction _jurisdiction;
    private readonly CoalescingRecordSource _source;

    public TakeoverLookup(HandleGrammar grammar, Jurisdiction jurisdiction, CoalescingRecordSource source)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        ArgumentNullException.ThrowIfNull(jurisdiction);
        ArgumentNullException.ThrowIfNull(source);
        _grammar = grammar;
        _jurisdiction = jurisdiction;
        _source = source;
    }

    /// <summary>The takeover in force over <paramref name="prefixKey"/> (a canonical prefix key), or null.</summary>
    public async ValueTask<TakeoverMark?> FindAsync(string prefixKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefixKey);
        var own = _jurisdiction.NodePrefixKey;
        if (!Jurisdiction.IsUnder(prefixKey, own))
        {
            return null;
        }

        // Delegations do not nest, so the first delegated prefix found (longest first) is the only one that can hold it.
        HandleRecord? filed = null;
        for (var candidate = prefixKey; candidate.Length > own.Length; candidate = candidate[..candidate.LastIndexOf('.')])
        {
            if (!_grammar.TryParse(HandleId.NamingAuthorityPrefix + "/" + candidate, out var id, out _))
            {
                continue;
            }

            var record = await _source.GetAsync(id.Key, cancellationToken);
            if (record is null)
            {
                continue;
            }

            if (NodeDelegation.IsDelegated(record))
            {
                return TakeoverMark.Read(record.Handle[(id.SlashIndex + 1)..], record) is { InForce: true } mark
                    && (filed is null || PrefixSites.SameNode(filed, record)) ? mark : null;
            }

            // The longest filed prefix with sites below the delegation decides whose the handle is.
            filed ??= PrefixSites.HasSites(record) ? record : null;
        }

        return null;
    }

    /// <summary>The takeover in force over the handle <paramref name="id"/> (for a prefix handle, over the prefix it names), or null.</summary>
    public ValueTask<TakeoverMark?> FindAsync(HandleId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return FindAsync(id.IsPrefixHandle ? id.Key[(id.SlashIndex + 1)..] : id.PrefixKey, cancellationToken);
    }
}
