using System.Text;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;

namespace IdResolution.Core.Security;

/// <summary>
/// How a prefix handle says it is delegated to a child node: it holds at least one
/// <see cref="ReservedTypes.NodeCredential"/> value, and the child acts as the admin identity
/// <c>300:0.NA/&lt;prefix&gt;</c>. Here, below resolution and registration, so every part of the core can ask.
/// </summary>
public static class NodeDelegation
{
    /// <summary>The index of a child node's identity on its prefix handle (and of its first credential).</summary>
    public const int IdentityIndex = 300;

    /// <summary>True when <paramref name="prefixRecord"/> names a child node that answers for its prefix.</summary>
    public static bool IsDelegated(HandleRecord prefixRecord)
    {
        ArgumentNullException.ThrowIfNull(prefixRecord);
        return prefixRecord.Values.Any(value => ValueDataFormats.HasType(value.Type, ReservedTypes.NodeCredential));
    }

    /// <summary>The child's credentials as the prefix handle holds them, in index order; values that do not parse are left out.</summary>
    public static IReadOnlyList<NodeCredential> Credentials(HandleRecord prefixRecord)
    {
        ArgumentNullException.ThrowIfNull(prefixRecord);
        var credentials = new List<NodeCredential>(NodeCredential.MaxPerNode);
        foreach (var value in prefixRecord.Values.OrderBy(v => v.Index))
        {
            if (ValueDataFormats.HasType(value.Type, ReservedTypes.NodeCredential)
                && NodeCredential.TryParse(Encoding.UTF8.GetString(value.Data.Span), out var credential, out _))
            {
                credentials.Add(credential);
            }
        }

        return credentials;
    }

    /// <summary>The admin identity a child node holding <paramref name="prefix"/> acts as: <c>300:0.NA/&lt;prefix&gt;</c>.</summary>
    public static ValueReference Identity(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return new ValueReference(HandleId.NamingAuthorityPrefix + "/" + prefix, IdentityIndex);
    }

    /// <summary>The name a child node's calls are audited and limited under.</summary>
    public static string CallerName(string prefix) => "node " + prefix;
}
