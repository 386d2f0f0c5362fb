using IdResolution.Cql.Routing;

namespace IdResolution.Cql.Cluster;

/// <summary>A node as the system tables describe it: where to reach it, where it stands, what it owns.</summary>
internal sealed record CqlHostRecord(CqlHostInfo Info, IReadOnlyList<string> Tokens, string? ReleaseVersion);
