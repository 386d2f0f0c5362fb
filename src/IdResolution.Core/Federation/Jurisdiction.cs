using System.Globalization;
using IdResolution.Core.Identifiers;

namespace IdResolution.Core.Federation;

/// <summary>
/// The one decision of which handles this node holds, for every surface: its accounts (<c>0.USER/*</c>),
/// the prefix handles of its own prefix and of every prefix below it (<c>0.NA/88.709</c>, <c>0.NA/88.709.911</c>),
/// and the handles under its own prefix and below. Everything else belongs to another node of the
/// hierarchy, however the request was authorised: even an administrator cannot make this node serve
/// <c>99.1/x</c> as if it were its authority.
/// </summary>
public sealed class Jurisdiction
{
    /// <summary>Accounts are node-local: every node holds its own <c>0.USER/*</c>.</summary>
    private const string AccountPrefixKey = "0.USER";

    private readonly string _rootKey;

    public Jurisdiction(HandleGrammar grammar, string nodePrefix)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        if (!grammar.TryParsePrefix(nodePrefix, out var rootKey, out var error))
        {
            throw new ArgumentException($"the node prefix '{nodePrefix}' is not a valid prefix: {grammar.Describe(error)}", nameof(nodePrefix));
        }

        _rootKey = rootKey;
        NodePrefix = nodePrefix;
    }

    /// <summary>The prefix this node holds, as configured (e.g. <c>88.709</c>).</summary>
    public string NodePrefix { get; }

    public Holding Decide(HandleId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var prefixKey = id.PrefixKey;
        if (string.Equals(prefixKey, AccountPrefixKey, StringComparison.Ordinal))
        {
            return Holding.Held;
        }

        // A prefix handle is held where the prefix it names is: 0.NA/88.709.911 with 88.709.911.
        return DecidePrefix(id.IsPrefixHandle ? id.Key[(id.SlashIndex + 1)..] : prefixKey);
    }

    /// <summary>Whether the node holds the prefix with canonical key <paramref name="prefixKey"/> (its own prefix or one below it).</summary>
    public Holding DecidePrefix(string prefixKey)
    {
        ArgumentNullException.ThrowIfNull(prefixKey);
        var under = prefixKey.Length == _rootKey.Length
            ? string.Equals(prefixKey, _rootKey, StringComparison.Ordinal)
            : prefixKey.Length > _rootKey.Length && prefixKey[_rootKey.Length] == '.' && prefixKey.StartsWith(_rootKey, StringComparison.Ordinal);
        return under ? Holding.Held : Holding.NotHeld;
    }

    /// <summary>The refusal of a write or listing of something this node does not hold.</summary>
    public Refusal NotResponsible(string what) => new(HandleResponseCode.ServerNotResponsible,
        string.Create(CultureInfo.InvariantCulture, $"this node is not responsible for '{what}': it holds prefix {NodePrefix}, the prefixes below it and their handles; send the request to the node that holds it"));
}
