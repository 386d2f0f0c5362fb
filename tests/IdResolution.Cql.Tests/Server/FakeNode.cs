using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Types;

namespace IdResolution.Cql.Tests.Server;

/// <summary>
/// One node of a <see cref="FakeCluster"/>: a <see cref="LoopbackCqlServer"/> on its own loopback address
/// whose statements are answered from the cluster's state as this node sees it.
/// </summary>
internal sealed class FakeNode
{
    private readonly FakeCluster _cluster;
    private readonly ConcurrentDictionary<string, string> _prepared = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, string> _connectionKeyspaces = new();
    private int _schemaRefusals;

    public FakeNode(FakeCluster cluster, int index, int clusterSize, IPAddress address, (string User, string Password)? credentials)
    {
        _cluster = cluster;
        Index = index;
        HostId = new Guid(index + 1, 0x4000, 0x4000, [0x80, 0, 0, 0, 0, 0, 0, (byte)(index + 1)]);

        // One token per node, evenly spread over the Murmur3 range.
        var step = (BigInteger.One << 64) / clusterSize;
        Token = ((BigInteger)long.MinValue + (step * index)).ToString(CultureInfo.InvariantCulture);
        Server = new LoopbackCqlServer(Answer, credentials: credentials, address: address);
    }

    public int Index { get; }

    public Guid HostId { get; }

    public string Token { get; }

    public LoopbackCqlServer Server { get; }

    public IPEndPoint EndPoint => Server.EndPoint;

    public IPAddress Address => EndPoint.Address;

    /// <summary>Gossip's view: false from a kill until the restart.</summary>
    public bool IsUp { get; private set; } = true;

    public bool IsRemoved { get; set; }

    /// <summary>This node's own delay in applying other nodes' DDL; null takes the cluster's.</summary>
    public TimeSpan? SchemaLag { get; set; }

    /// <summary>Answers a request before the node's own logic does; null lets the node answer.</summary>
    public Func<ReceivedRequest, ServerReply?>? Override { get; set; }

    /// <summary>Holds the node's own answer to a request until the returned task completes (null: answers at once), to see how many requests a client keeps in flight.</summary>
    public Func<ReceivedRequest, Task?>? Hold { get; set; }

    public HandshakeFault HandshakeFault
    {
        get => Server.HandshakeFault;
        set => Server.HandshakeFault = value;
    }

    public int OpenConnections => Server.OpenConnectionCount;

    public int ConnectionsAccepted => Server.ConnectionCount;

    /// <summary>QUERY, PREPARE, EXECUTE and BATCH frames this node received.</summary>
    public int Requests => Server.Received.Count(request => request.Opcode is CqlOpcode.Query or CqlOpcode.Prepare or CqlOpcode.Execute or CqlOpcode.Batch);

    public Guid SchemaVersion => VersionOf(_cluster.AppliedOn(this).Count);

    /// <summary>Statements refused because this node had not applied the keyspace or table they name (yet).</summary>
    public int SchemaRefusals => Volatile.Read(ref _schemaRefusals);

    /// <summary>The CQL text of a QUERY, PREPARE, or EXECUTE of a statement this node prepared; null otherwise.</summary>
    public string? StatementOf(ReceivedRequest request) => request.Opcode switch
    {
        CqlOpcode.Query or CqlOpcode.Prepare => request.QueryText,
        CqlOpcode.Execute => _prepared.GetValueOrDefault(Convert.ToHexString(new CqlBodyReader(request.Body).ReadShortBytes().Span)),
        _ => null,
    };

    public override string ToString() => EndPoint.ToString();

    internal static Guid VersionOf(int changes) => new(changes, 0x5c4e, 0x4000, [0x80, 0, 0, 0, 0, 0, 0, 0x01]);

    internal void Kill()
    {
        IsUp = false;
        Server.StopListening();
    }

    internal void Restart()
    {
        _prepared.Clear();
        _connectionKeyspaces.Clear();
        Server.StartListening();
        IsUp = true;
    }

    private ServerReply Answer(ReceivedRequest request)
    {
        if (Override?.Invoke(request) is { } reply)
        {
            return reply;
        }

        var own = request.Opcode switch
        {
            CqlOpcode.Query => Query(request, request.QueryText, QueryConsistency(request.Body)),
            CqlOpcode.Prepare => Prepare(request, request.QueryText),
            CqlOpcode.Execute => Execute(request),
            _ => ServerReply.Void,
        };
        return Hold?.Invoke(request) is { } gate ? ServerReply.After(gate, own) : own;
    }

    private static CqlConsistency QueryConsistency(byte[] body)
    {
        var reader = new CqlBodyReader(body);
        reader.ReadLongString();
        return reader.ReadConsistency();
    }

    private ServerReply Execute(ReceivedRequest request)
    {
        var reader = new CqlBodyReader(request.Body);
        var id = reader.ReadShortBytes().ToArray();
        var consistency = reader.ReadConsistency();
        return _prepared.TryGetValue(Convert.ToHexString(id), out var cql)
            ? Statement(request, cql, consistency)
            : ServerReply.Unprepared($"Prepared query with ID {Convert.ToHexString(id)} not found", id);
    }

    private ServerReply Query(ReceivedRequest request, string cql, CqlConsistency consistency)
    {
        if (cql.Contains("FROM system.local", StringComparison.Ordinal))
        {
            return FakeSystemTables.Local(this, _cluster);
        }

        if (cql.Contains("FROM system.peers_v2", StringComparison.Ordinal))
        {
            return FakeSystemTables.PeersV2(this, _cluster);
        }

        if (cql.Contains("FROM system_schema.keyspaces", StringComparison.Ordinal))
        {
            var name = cql[(cql.IndexOf("keyspace_name = '", StringComparison.Ordinal) + 17)..].TrimEnd('\'', ' ', ';');
            return FakeSystemTables.KeyspaceReplication(Keyspaces().GetValueOrDefault(name));
        }

        if (FakeSchema.UseKeyspace(cql) is { } use)
        {
            if (!Keyspaces().ContainsKey(use))
            {
                Interlocked.Increment(ref _schemaRefusals);
                return ServerReply.Error(CqlErrorCode.Invalid, $"Keyspace '{use}' does not exist");
            }

            _connectionKeyspaces[request.ConnectionId] = use;
            return ServerReply.SetKeyspace(use);
        }

        return Ddl(request, cql) ?? Statement(request, cql, consistency);
    }

    private ServerReply? Ddl(ReceivedRequest request, string cql)
    {
        if (FakeSchema.ParseCreateKeyspace(cql) is { } keyspace)
        {
            if (Keyspaces().ContainsKey(keyspace.Name))
            {
                return cql.Contains("IF NOT EXISTS", StringComparison.OrdinalIgnoreCase)
                    ? ServerReply.Void
                    : ServerReply.Error(CqlErrorCode.AlreadyExists, $"Keyspace {keyspace.Name} already exists", body => { body.WriteString(keyspace.Name); body.WriteString(string.Empty); });
            }

            _cluster.ApplySchemaChange(this, keyspace, null, null);
            return FakeRows.SchemaChange("CREATED", "KEYSPACE", keyspace.Name, null);
        }

        if (FakeSchema.ParseCreateTable(cql, KeyspaceOf(request)) is { } table)
        {
            if (!Keyspaces().ContainsKey(table.Keyspace))
            {
                return ServerReply.Error(CqlErrorCode.Invalid, $"Keyspace '{table.Keyspace}' doesn't exist");
            }

            if (Tables().ContainsKey((table.Keyspace, table.Name)))
            {
                return cql.Contains("IF NOT EXISTS", StringComparison.OrdinalIgnoreCase)
                    ? ServerReply.Void
                    : ServerReply.Error(CqlErrorCode.AlreadyExists, $"Table {table.Keyspace}.{table.Name} already exists", body => { body.WriteString(table.Keyspace); body.WriteString(table.Name); });
            }

            _cluster.ApplySchemaChange(this, null, table, null);
            return FakeRows.SchemaChange("CREATED", "TABLE", table.Keyspace, table.Name);
        }

        if (FakeSchema.ParseDropKeyspace(cql) is { } dropped)
        {
            _cluster.ApplySchemaChange(this, null, null, dropped);
            return FakeRows.SchemaChange("DROPPED", "KEYSPACE", dropped, null);
        }

        return null;
    }

    private ServerReply Prepare(ReceivedRequest request, string cql)
    {
        var id = MD5.HashData(Encoding.UTF8.GetBytes(cql));
        if (cql.Contains("FROM system.", StringComparison.Ordinal))
        {
            _prepared[Convert.ToHexString(id)] = cql;
            return FakeRows.Prepared(id, "system", "local", [], []);
        }

        if (Resolve(request, cql) is not { } table)
        {
            return Missing(request, cql);
        }

        _prepared[Convert.ToHexString(id)] = cql;
        var markers = FakeSchema.MarkerColumns(cql)
            .Select(column => (column, column is "[limit]" or "[ttl]" ? FakeColumnType.Int : table.TypeOf(column) ?? throw new InvalidOperationException($"No column {column} in {table.Name}")))
            .ToList();
        var pk = table.PartitionKey.Select(key => markers.FindIndex(marker => marker.column == key)).ToList();
        return FakeRows.Prepared(id, table.Keyspace, table.Name, markers, pk.Contains(-1) ? [] : [.. pk.Select(index => (short)index)]);
    }

    /// <summary>DML and SELECT: refused when the table is missing here or too few replicas live; otherwise applied, or empty.</summary>
    private ServerReply Statement(ReceivedRequest request, string cql, CqlConsistency consistency)
    {
        if (cql.Contains("FROM system.", StringComparison.Ordinal))
        {
            return FakeSystemTables.Local(this, _cluster);
        }

        if (Resolve(request, cql) is not { } table)
        {
            return Missing(request, cql);
        }

        var conditional = cql.Contains(" IF ", StringComparison.OrdinalIgnoreCase);
        var level = conditional ? CqlConsistency.LocalSerial : consistency;
        var factor = Keyspaces()[table.Keyspace].FactorIn(_cluster.DataCenter);
        var required = level.RequiredReplicas(factor);
        var alive = Math.Min(factor, _cluster.LiveNodes);
        if (alive < required)
        {
            return ServerReply.Unavailable(level, required, alive);
        }

        if (conditional)
        {
            return FakeRows.Rows(table.Keyspace, table.Name, [("[applied]", FakeColumnType.Boolean)], [[FakeRows.Cell(w => CqlCodec.EncodeBoolean(true, w))]]);
        }

        return cql.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
            ? FakeRows.Rows(table.Keyspace, table.Name, [], [])
            : ServerReply.Void;
    }

    private FakeTable? Resolve(ReceivedRequest request, string cql) =>
        FakeSchema.TableOf(cql) is { } reference && (reference.Keyspace ?? KeyspaceOf(request)) is { } keyspace
            ? Tables().GetValueOrDefault((keyspace, reference.Table))
            : null;

    private ServerReply Missing(ReceivedRequest request, string cql)
    {
        Interlocked.Increment(ref _schemaRefusals);
        var reference = FakeSchema.TableOf(cql);
        var keyspace = reference?.Keyspace ?? KeyspaceOf(request);
        return keyspace is null || !Keyspaces().ContainsKey(keyspace)
            ? ServerReply.Error(CqlErrorCode.Invalid, $"Keyspace '{keyspace}' doesn't exist")
            : ServerReply.Error(CqlErrorCode.Invalid, $"table {reference?.Table} does not exist");
    }

    private string? KeyspaceOf(ReceivedRequest request) => _connectionKeyspaces.GetValueOrDefault(request.ConnectionId);

    internal Dictionary<string, FakeKeyspace> Keyspaces()
    {
        var keyspaces = new Dictionary<string, FakeKeyspace>(StringComparer.Ordinal);
        foreach (var change in _cluster.AppliedOn(this))
        {
            if (change.Keyspace is { } created)
            {
                keyspaces[created.Name] = created;
            }
            else if (change.DroppedKeyspace is { } dropped)
            {
                keyspaces.Remove(dropped);
            }
        }

        return keyspaces;
    }

    private Dictionary<(string, string), FakeTable> Tables()
    {
        var tables = new Dictionary<(string, string), FakeTable>();
        foreach (var change in _cluster.AppliedOn(this))
        {
            if (change.Table is { } table)
            {
                tables[(table.Keyspace, table.Name)] = table;
            }
            else if (change.DroppedKeyspace is { } dropped)
            {
                foreach (var key in tables.Keys.Where(key => key.Item1 == dropped).ToList())
                {
                    tables.Remove(key);
                }
            }
        }

        return tables;
    }
}
