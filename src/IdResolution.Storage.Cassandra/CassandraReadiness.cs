namespace IdResolution.Storage.Cassandra;

/// <summary>
/// Whether the store can serve writes and authoritative reads now (<see cref="Ready"/>), a sentence saying
/// what was checked and what was found, and the details (consistency, replicas, each node's state) for a
/// health report.
/// </summary>
public sealed record CassandraReadiness(bool Ready, string Description, IReadOnlyDictionary<string, object> Details);
