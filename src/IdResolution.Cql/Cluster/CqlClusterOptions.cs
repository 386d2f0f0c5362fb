using System.Diagnostics.Metrics;
using System.Net.Security;
using IdResolution.Cql.Execution;
using Microsoft.Extensions.Logging;

namespace IdResolution.Cql.Cluster;

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

    /// <summary>Wait before the first attempt to reconnect to a node that went down; each failed attempt doubles it, with jitter.</summary>
    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between attempts to reconnect to a node that went down; attempts back off up to it, and never stop.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often every node of the topology that is not up gets a reconnect attempt, whatever its back-off
    /// says, and the topology is read again if the last read failed: a safety net behind back-off and UP events.
    /// </summary>
    public TimeSpan ReconciliationInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>While a node stays down, at most one "still down" warning per this interval (attempts are logged at Debug).</summary>
    public TimeSpan StillDownWarningInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Where node state changes, reconnection, the control connection and schema agreement are logged; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Creates the <c>IdResolution.Cql</c> meter (connections, node state, reconnect attempts); null creates it directly.</summary>
    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>The clock of back-off, reconciliation and schema-agreement deadlines.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public CqlExecutionOptions Execution { get; init; } = new();
}
