using IdResolution.Cql.Cluster;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Execution;

namespace IdResolution.Storage.Cassandra.Tests.Live;

/// <summary>The CQL client against a real Cassandra (skipped without one): types, paging, conditional writes, errors.</summary>
[Collection(LiveCassandraCollection.Name)]
public sealed class LiveCqlClientTests : IAsyncLifetime
{
    private readonly string _keyspace = LiveCassandra.NewKeyspace();
    private CqlSession? _session;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CqlSession Session => _session!;

    public async ValueTask InitializeAsync()
    {
        if (LiveCassandra.Settings is null)
        {
            return;
        }

        var replication = await LiveCassandra.ReplicationFactorAsync();
        try
        {
            await using (var bootstrap = await CqlSession.ConnectAsync(LiveCassandra.Cluster(), Ct))
            {
                var dc = LiveCassandra.Require().DataCenter;
                await LiveCassandra.ApplySchemaAsync(
                    bootstrap,
                    $"CREATE KEYSPACE {_keyspace} WITH replication = {{'class': 'NetworkTopologyStrategy', '{dc}': {replication}}}",
                    $"CREATE TABLE {_keyspace}.items (id text, n int, big bigint, flag boolean, at timestamp, uid uuid, data blob, tags list<text>, attrs map<text, text>, PRIMARY KEY (id))",
                    $"CREATE TABLE {_keyspace}.pages (p text, c int, PRIMARY KEY (p, c))");
            }

            _session = await CqlSession.ConnectAsync(LiveCassandra.Cluster(_keyspace), Ct);
        }
        catch
        {
            // xunit v3 disposes no test class whose initialisation threw: the keyspace is dropped here or never.
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
            _session = null;
        }

        if (LiveCassandra.Settings is not null)
        {
            await LiveCassandra.DropKeyspaceAsync(_keyspace);
        }
    }

    [Fact]
    public async Task Every_type_the_store_needs_round_trips_through_a_prepared_statement()
    {
        LiveCassandra.Require();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123);
        var uid = Guid.NewGuid();
        await Session.ExecuteAsync(new CqlStatement(
            "INSERT INTO items (id, n, big, flag, at, uid, data, tags, attrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "88.709.911/A", 42, 1L << 40, true, at, uid, new byte[] { 0, 1, 255 }, new[] { "x", "y" }, new Dictionary<string, string> { ["k"] = "v" }), Ct);

        var row = (await Session.ExecuteAsync(new CqlStatement("SELECT * FROM items WHERE id = ?", "88.709.911/A"), Ct))[0];

        Assert.Equal(42, row.Get<int>("n"));
        Assert.Equal(1L << 40, row.Get<long>("big"));
        Assert.True(row.Get<bool>("flag"));
        Assert.Equal(at, row.Get<DateTimeOffset>("at"));
        Assert.Equal(uid, row.Get<Guid>("uid"));
        Assert.Equal(new byte[] { 0, 1, 255 }, row.Get<byte[]>("data"));
        Assert.Equal(["x", "y"], row.GetList<string>("tags"));
        Assert.Equal("v", row.Get<IReadOnlyDictionary<object, object>>("attrs")["k"]);
    }

    [Fact]
    public async Task Maps_and_collections_bind_from_the_generic_types_callers_pass()
    {
        LiveCassandra.Require();
        IReadOnlyDictionary<string, string> readOnly = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" };
        await Session.ExecuteAsync(new CqlStatement("INSERT INTO items (id, tags, attrs) VALUES (?, ?, ?)", "88.709.911/MAP", new List<string> { "x" }, readOnly) { IsIdempotent = true }, Ct);

        var row = (await Session.ExecuteAsync(new CqlStatement("SELECT tags, attrs FROM items WHERE id = ?", "88.709.911/MAP"), Ct))[0];

        Assert.Equal(["x"], row.GetList<string>("tags"));
        Assert.Equal("2", row.Get<IReadOnlyDictionary<object, object>>("attrs")["b"]);
    }

    [Fact]
    public async Task Every_live_node_of_the_data_centre_reports_the_same_schema_after_the_setup()
    {
        LiveCassandra.Require();
        var agreement = await Session.WaitForSchemaAgreementAsync(LiveCassandra.SchemaAgreement, Ct);

        Assert.True(agreement.Agreed, agreement.Describe());
        Assert.Equal(Session.Nodes.Count(node => node.IsUp == true), agreement.Nodes.Count(node => node.Version is not null));
    }

    [Fact]
    public async Task A_partition_larger_than_a_page_is_read_whole_across_pages()
    {
        LiveCassandra.Require();
        for (var c = 0; c < 250; c++)
        {
            await Session.ExecuteAsync(new CqlStatement("INSERT INTO pages (p, c) VALUES (?, ?)", "p", c) { IsIdempotent = true }, Ct);
        }

        var seen = new List<int>();
        await foreach (var row in Session.ExecuteAllPagesAsync(new CqlStatement("SELECT c FROM pages WHERE p = ?", "p") { PageSize = 100 }, Ct))
        {
            seen.Add(row.Get<int>("c"));
        }

        Assert.Equal(Enumerable.Range(0, 250), seen);
    }

    [Fact]
    public async Task A_second_insert_if_not_exists_is_not_applied_and_returns_the_existing_row()
    {
        LiveCassandra.Require();
        var first = await Session.ExecuteAsync(new CqlStatement("INSERT INTO items (id, n) VALUES (?, ?) IF NOT EXISTS", "88.709.911/LWT", 1), Ct);
        var second = await Session.ExecuteAsync(new CqlStatement("INSERT INTO items (id, n) VALUES (?, ?) IF NOT EXISTS", "88.709.911/LWT", 2), Ct);

        Assert.True(first.WasApplied);
        Assert.False(second.WasApplied);
        Assert.Equal(1, second[0].Get<int>("n"));
    }

    [Fact]
    public async Task A_logged_batch_applies_all_of_its_statements()
    {
        LiveCassandra.Require();
        await Session.ExecuteBatchAsync(new CqlBatch(
        [
            new CqlStatement("INSERT INTO items (id, n) VALUES (?, ?)", "88.709.911/B1", 1),
            new CqlStatement("INSERT INTO items (id, n) VALUES (?, ?)", "88.709.911/B2", 2),
        ]), Ct);

        var rows = await Session.ExecuteAsync(new CqlStatement("SELECT n FROM items WHERE id IN (?, ?)", "88.709.911/B1", "88.709.911/B2"), Ct);
        Assert.Equal([1, 2], rows.Select(row => row.Get<int>("n")).Order());
    }

    [Fact]
    public async Task Server_errors_arrive_as_their_typed_exceptions()
    {
        LiveCassandra.Require();
        await Assert.ThrowsAsync<CqlSyntaxErrorException>(() => Session.ExecuteAsync(new CqlStatement("SELEC nothing"), Ct));
        await Assert.ThrowsAsync<CqlInvalidQueryException>(() => Session.ExecuteAsync(new CqlStatement("SELECT * FROM no_such_table"), Ct));
        var exists = await Assert.ThrowsAsync<CqlAlreadyExistsException>(() => Session.ExecuteAsync(new CqlStatement("CREATE TABLE pages (p text PRIMARY KEY)"), Ct));
        Assert.Equal("pages", exists.Table);
    }

    [Fact]
    public async Task Wrong_credentials_are_refused_as_an_authentication_error()
    {
        LiveCassandra.Require();
        Exception? failure = null;
        try
        {
            await using var accepted = await CqlSession.ConnectAsync(LiveCassandra.Cluster() with { Password = "not-the-password" }, Ct);
        }
        catch (Exception refused)
        {
            failure = refused;
        }

        // A cluster that lets in a wrong password checks no credentials at all (AllowAllAuthenticator): nothing to refuse.
        if (failure is null)
        {
            Assert.Skip("The cluster accepted a wrong password, so it does not authenticate (authenticator: AllowAllAuthenticator); run against one with PasswordAuthenticator to check the refusal.");
        }

        Assert.Contains(Flatten(failure), e => e is CqlAuthenticationException);
    }

    private static IEnumerable<Exception> Flatten(Exception failure) =>
        failure is AggregateException many ? many.InnerExceptions.SelectMany(Flatten) : failure.InnerException is { } inner ? [failure, .. Flatten(inner)] : [failure];
}
