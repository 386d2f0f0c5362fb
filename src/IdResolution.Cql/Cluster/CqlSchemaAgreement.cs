using System.Net;

namespace IdResolution.Cql.Cluster;

/// <summary>
/// One node's answer to "which schema version do you have", read from its own <c>system.local</c>;
/// <c>LeftOut</c> says why a node was not asked or did not answer (down, its error), null when it answered.
/// </summary>
public sealed record CqlNodeSchemaVersion(EndPoint Address, Guid? Version, string? LeftOut)
{
    public override string ToString() => Version is { } version ? $"{Address} {version}" : $"{Address} left out ({LeftOut})";
}

/// <summary>
/// The outcome of waiting for schema agreement: every node of the local data centre that is up
/// answered with the same version (<see cref="Agreed"/>), or the deadline passed first.
/// </summary>
public sealed record CqlSchemaAgreement(bool Agreed, TimeSpan Elapsed, IReadOnlyList<CqlNodeSchemaVersion> Nodes)
{
    /// <summary>Each node and its version, or why it was left out: for logs and error messages.</summary>
    public string Describe() => Nodes.Count == 0 ? "no node of the local data centre is up" : string.Join(", ", Nodes);
}
