using System.Security.Cryptography;
using IdResolution.Core.Federation;
using IdResolution.Core.Security;

namespace IdResolution.Node.Security;

/// <summary>
/// Who this node is to other nodes: the prefix it holds, the level it plays, and its key (made at first start,
/// loaded once), whose public part is the credential its parent admits it with.
/// </summary>
internal sealed class NodeIdentity : IDisposable
{
    public NodeIdentity(string prefix, NodeRole role, ECDsa key, IReadOnlyList<string> parentEndpoints)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(parentEndpoints);
        Prefix = prefix;
        Role = role;
        Key = key;
        Credential = NodeCredential.ForKey(key);
        ParentEndpoints = parentEndpoints;
    }

    public string Prefix { get; }

    public NodeRole Role { get; }

    /// <summary>Signs this node's assertions (<see cref="NodeAssertion"/>) on its calls to other nodes.</summary>
    public ECDsa Key { get; }

    /// <summary>What the parent's operator admits this node with: <c>key:&lt;base64 SubjectPublicKeyInfo&gt;</c>.</summary>
    public NodeCredential Credential { get; }

    public IReadOnlyList<string> ParentEndpoints { get; }

    /// <summary>Loads the node key at <see cref="FederationOptions.NodeKeyPath"/>, creating it on the first start.</summary>
    public static NodeIdentity Load(string prefix, NodeRole role, FederationOptions federation)
    {
        ArgumentNullException.ThrowIfNull(federation);
        return new NodeIdentity(prefix, role, NodeKeyFile.LoadOrCreate(federation.NodeKeyPath), [.. federation.Parent.Endpoints]);
    }

    public void Dispose() => Key.Dispose();
}
