using System.Globalization;
using IdResolution.Core.Caching;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Security;

namespace IdResolution.Core.Federation;

/// <summary>
/// The one decision of which handles this node holds, for every surface: its accounts (<c>0.USER/*</c>),
/// the prefix handles of its own prefix and of every prefix below it (<c>0.NA/88.709</c>, <c>0.NA/88.709.911</c>),
/// and the handles under its own prefix and below — minus the prefixes it has delegated to a child node
/// (a prefix handle naming the child's credentials), and on a top level minus every product identifier
/// (a top level holds prefix handles only). Everything else belongs to another node of the hierarchy,
/// however the request was authorised: even an administrator cannot make this node serve <c>99.1/x</c>
/// as if it were its authority.
/// </summary>
public sealed class Jurisdiction
{
    /// <summary>Accounts are node-local: every node holds its own <c>0.USER/*</c>.</summary>
    private const string AccountPrefixKey = "0.USER";

    private readonly string _rootKey;
    private readonly HandleGrammar _grammar;
    private readonly CoalescingRecordSource? _source;
    private readonly NodeRole _role;

    public Jurisdiction(HandleGrammar grammar, string nodePrefix, CoalescingRecordSource? source = null, NodeRole role = NodeRole.Secondary)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        if (!grammar.TryParsePrefix(nodePrefix, out var rootKey, out var error))
        {
            throw new ArgumentException($"the node prefix '{nodePrefix}' is not a valid prefix: {grammar.Describe(error)}", nameof(nodePrefix));
        }

        _grammar = grammar;
        _rootKey = rootKey;
        _source = source;
        _role = role;
        NodePrefix = nodePrefix;
    }

    /// <summary>The prefix this node holds, as configured (e.g. <c>88.709</c>).</summary>
    public string NodePrefix { get; }

    /// <summary>The canonical key of <see cref="NodePrefix"/>.</summary>
    public string NodePrefixKey => _rootKey;

    public NodeRole Role => _role;

    /// <summary>What the node's configuration alone says: its tree, its accounts, its prefix handles (no delegation looked up).</summary>
    public Holding Decide(HandleId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var prefixKey = id.PrefixKey;
        if (string.Equals(prefixKey, AccountPrefixKey, StringComparison.Ordinal))
        {
            return Holding.Held;
        }

        // A prefix handle is held where the prefix it names is: 0.NA/88.709.911 with 88.709.911.
        if (id.IsPrefixHandle)
        {
            return DecidePrefix(id.Key[(id.SlashIndex + 1)..]);
        }

        return _role == NodeRole.TopLevel ? Holding.NotHeld : DecidePrefix(prefixKey);
    }

    /// <summary>
    /// <see cref="Decide(HandleId)"/>, and for a handle under the node's tree whether a child node answers for
    /// it instead: the longest delegated prefix between the node's own and the handle's.
    /// </summary>
    public async ValueTask<Responsibility> DecideAsync(HandleId id, CancellationToken cancellationToken)
    {
        var holding = Decide(id);

        // Under the node's tree a child may hold the handle, or be under takeover (then this node answers for it). A top
        // level holds none of these handles either way, but stands in for a taken-over child all the same.
        if (!id.IsPrefixHandle && _source is not null && !string.Equals(id.PrefixKey, AccountPrefixKey, StringComparison.Ordinal)
            && DecidePrefix(id.PrefixKey) == Holding.Held
            && await DelegatedAncestorAsync(id.PrefixKey, cancellationToken) is { } delegated)
        {
            return holding == Holding.Held
                ? new Responsibility(Holding.Delegated, delegated.Prefix, delegated.Takeover)
                : new Responsibility(holding, null, delegated.Takeover);
        }

        return new Responsibility(holding, null);
    }

    /// <summary>The takeover in force over the prefix with canonical key <paramref name="prefixKey"/> (a child's, or one filed under it), or null.</summary>
    public async ValueTask<TakeoverMark?> TakeoverAsync(string prefixKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefixKey);
        return _source is not null && IsUnder(prefixKey, _rootKey) && await DelegatedAncestorAsync(prefixKey, cancellationToken) is { } delegated
            ? delegated.Takeover
            : null;
    }

    /// <summary>Whether the node holds the prefix with canonical key <paramref name="prefixKey"/> (its own prefix or one below it).</summary>
    public Holding DecidePrefix(string prefixKey)
    {
        ArgumentNullException.ThrowIfNull(prefixKey);
        return IsUnder(prefixKey, _rootKey) ? Holding.Held : Holding.NotHeld;
    }

    /// <summary>True when <paramref name="prefixKey"/> is <paramref name="ancestorKey"/> or below it.</summary>
    public static bool IsUnder(string prefixKey, string ancestorKey)
    {
        ArgumentNullException.ThrowIfNull(prefixKey);
        ArgumentNullException.ThrowIfNull(ancestorKey);
        return prefixKey.Length == ancestorKey.Length
            ? string.Equals(prefixKey, ancestorKey, StringComparison.Ordinal)
            : prefixKey.Length > ancestorKey.Length && prefixKey[ancestorKey.Length] == '.' && prefixKey.StartsWith(ancestorKey, StringComparison.Ordinal);
    }

    /// <summary>The refusal of a write or listing of something this node does not hold.</summary>
    public Refusal NotResponsible(string what) => new(HandleResponseCode.ServerNotResponsible,
        string.Create(CultureInfo.InvariantCulture, $"this node is not responsible for '{what}': it holds prefix {NodePrefix}, the prefixes below it and their handles{(_role == NodeRole.TopLevel ? " (prefix handles only: a top level keeps no identifiers of its own)" : string.Empty)}; send the request to the node that holds it"));

    /// <summary>The refusal of a write under a prefix this node has delegated to a child node.</summary>
    public static Refusal Delegated(string what, string delegatedPrefix) => new(HandleResponseCode.ServerNotResponsible,
        $"'{what}' is under prefix {delegatedPrefix}, which this node has delegated to a child node; send the request to that node");

    /// <summary>
    /// Looks at each prefix from the node's own (exclusive) down to <paramref name="prefixKey"/> (inclusive), longest
    /// first, for the delegated one (delegations do not nest) and the takeover in force over it. A prefix filed under
    /// the child with another node's sites (an enterprise node running its own node) is that node's: its handles are
    /// not in the child's escrow copy, so the takeover does not cover it.
    /// </summary>
    private async ValueTask<(string Prefix, TakeoverMark? Takeover)?> DelegatedAncestorAsync(string prefixKey, CancellationToken cancellationToken)
    {
        HandleRecord? filed = null;
        for (var candidate = prefixKey; candidate.Length > _rootKey.Length; candidate = candidate[..candidate.LastIndexOf('.')])
        {
            if (!_grammar.TryParse(HandleId.NamingAuthorityPrefix + "/" + candidate, out var prefixId, out _)
                || await _source!.GetAsync(prefixId.Key, cancellationToken) is not { } record)
            {
                continue;
            }

            if (NodeDelegation.IsDelegated(record))
            {
                var takeover = TakeoverMark.Read(record.Handle[(prefixId.SlashIndex + 1)..], record) is { InForce: true } mark
                    && (filed is null || PrefixSites.SameNode(filed, record)) ? mark : null;
                return (candidate, takeover);
            }

            filed ??= PrefixSites.HasSites(record) ? record : null;
        }

        return null;
    }
}

/// <summary>
/// What <see cref="Jurisdiction.DecideAsync"/> found: who answers for a handle, the child's prefix when delegated, and
/// the takeover in force when this node stands in for that child.
/// </summary>
public readonly record struct Responsibility(Holding Holding, string? DelegatedPrefix, TakeoverMark? Takeover = null);
