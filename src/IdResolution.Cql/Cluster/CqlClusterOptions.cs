using System.Net.Security;

namespace IdResolution.Cql;

/// <summary>How to reach a Cassandra cluster and how to talk to it.</summary>
public sealed record CqlClusterOptions
{
    /// <summary>Some of the cluster's nodes, as host names or addresses; the rest are discovered from them.</summary>
    public IReadOnlyList<string> ContactPoints { get; init; } = ["127.0.0.1"];

    public int Port { get; init; } = 9042;

    /// <summary>The data centre whose nodes coordinate this client's statements (LOCAL_ consistency levels count there).</summary>
    public string LocalDataCenter { get; init; } = "datacenter1";

    /// <summary>For PasswordAuthenticator; null when the cluster does not authenticate.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>TLS settings (target host, certificate validation, client certificate); null for plain TCP.</summary>
    public SslClientAuthenticationOptions? Tls { get; init; }

    /// <summary>The keyspace whose replication decides which nodes are a partition's replicas.</summary>
    public string? Keyspace { get; init; }

    public int ConnectionsPerHost { get; init; } = 2;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between attempts to reconnect to a node that went down; attempts back off up to it.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    public CqlExecutionOptions Execution { get; init; } = new();
}
