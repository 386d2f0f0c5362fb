using System.Net.Http.Headers;
using System.Text.Json;
using IdResolution.Core.Storage;
using IdResolution.Node.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static IdResolution.Node.Tests.HandleApi.HandleRestApiTests;
using static IdResolution.Node.Tests.HandleApi.RestNode;

namespace IdResolution.Node.Tests.HandleApi;

/// <summary>A node whose store is read at most 3 handles at a time (<c>Registry:MaxPageSize</c>), with ten handles under 88.709.916.</summary>
public sealed class SmallPageNode : IAsyncLifetime
{
    public const string Prefix = "88.709.916";

    private readonly NodeFactory _factory = new NodeFactory().With("Registry:MaxPageSize", "3").With("Registry:DefaultPageSize", "3").With("RateLimits:Enabled", "false");

    public HttpClient Admin { get; private set; } = null!;

    public static string Handle(int i) => $"{Prefix}/L{i:D2}";

    public async ValueTask InitializeAsync()
    {
        Admin = _factory.CreateAdminClient();
        for (var i = 0; i < 10; i++)
        {
            using var put = await Admin.PutAsync("/api/handles/" + Handle(i), Json("""[{"index":1,"type":"URL","data":"https://l.test"}]"""), TestContext.Current.CancellationToken);
            Assert.Equal(201, (int)put.StatusCode);
        }
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}

/// <summary>
/// <c>GET /api/handles?prefix=P&amp;page=&amp;pageSize=</c>: the page asked for, whatever its size; paging only
/// when both are given; page and pageSize echoed as numbers; the whole listing streamed.
/// </summary>
public sealed class HandleRestListingTests(SmallPageNode node) : IClassFixture<SmallPageNode>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_empty_handle_is_an_invalid_handle()
    {
        var (status, body) = await Read(node.Admin.GetAsync("/api/handles/", Ct));

        Assert.Equal((400, 102), (status, body.GetProperty("responseCode").GetInt32()));
    }

    [Fact]
    public async Task Page_and_page_size_are_echoed_as_numbers()
    {
        var page = await Read(node.Admin.GetAsync($"/api/handles?prefix={SmallPageNode.Prefix}&page=1&pageSize=2", Ct));

        AssertJson(page, 200, $$"""{"responseCode":1,"prefix":"88.709.916","totalCount":"10","page":1,"pageSize":2,"handles":["88.709.916/L02","88.709.916/L03"]}""");
    }

    [Theory]
    [InlineData(1, 4, 4, 8)]
    [InlineData(0, 1500, 0, 10)]
    [InlineData(2, 4, 8, 10)]
    [InlineData(1, 7, 7, 10)]
    public async Task A_page_larger_than_the_store_page_is_the_page_asked_for(int page, int pageSize, int from, int to)
    {
        var (status, body) = await Read(node.Admin.GetAsync($"/api/handles?prefix={SmallPageNode.Prefix}&page={page}&pageSize={pageSize}", Ct));

        Assert.Equal(200, status);
        Assert.Equal(Enumerable.Range(from, to - from).Select(SmallPageNode.Handle), Handles(body));
        Assert.Equal((page, pageSize), (body.GetProperty("page").GetInt32(), body.GetProperty("pageSize").GetInt32()));
    }

    [Fact]
    public async Task Page_zero_of_size_zero_is_only_the_count_and_size_zero_alone_lists_all()
    {
        var count = await Read(node.Admin.GetAsync($"/api/handles?prefix={SmallPageNode.Prefix}&page=0&pageSize=0", Ct));
        AssertJson(count, 200, """{"responseCode":1,"prefix":"88.709.916","totalCount":"10","page":0,"pageSize":0,"handles":[]}""");

        // Paging applies only when both are given.
        foreach (var query in new[] { "pageSize=0", "pageSize=2", "page=1", string.Empty })
        {
            var (status, body) = await Read(node.Admin.GetAsync($"/api/handles?prefix={SmallPageNode.Prefix}&{query}", Ct));
            Assert.Equal(200, status);
            Assert.Equal(Enumerable.Range(0, 10).Select(SmallPageNode.Handle), Handles(body));
        }

        var past = await Read(node.Admin.GetAsync($"/api/handles?prefix={SmallPageNode.Prefix}&page=7&pageSize=2", Ct));
        AssertJson(past, 200, """{"responseCode":1,"prefix":"88.709.916","totalCount":"10","page":7,"pageSize":2,"handles":[]}""");
    }

    [Fact]
    public async Task The_whole_listing_is_streamed_rather_than_sent_as_one_sized_body()
    {
        using var response = await node.Admin.GetAsync($"/api/handles?prefix={SmallPageNode.Prefix}", HttpCompletionOption.ResponseHeadersRead, Ct);

        // A body built in memory first would carry its length; a streamed one goes out in chunks.
        Assert.Null(response.Content.Headers.ContentLength);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(Enumerable.Range(0, 10).Select(SmallPageNode.Handle), Handles(body.RootElement));
        Assert.Equal("10", body.RootElement.GetProperty("totalCount").GetString());
    }

    [Fact]
    public async Task The_total_count_follows_creates_and_deletes()
    {
        const string prefix = "88.709.917";
        for (var i = 0; i < 4; i++)
        {
            using var put = await node.Admin.PutAsync($"/api/handles/{prefix}/C{i}", Json("""[{"index":1,"type":"URL","data":"https://c.test"}]"""), Ct);
            Assert.Equal(201, (int)put.StatusCode);
        }

        using (var overwrite = await node.Admin.PutAsync($"/api/handles/{prefix}/c0", Json("""[{"index":2,"type":"URL","data":"https://c.test"}]"""), Ct))
        {
            Assert.Equal(200, (int)overwrite.StatusCode);
        }

        using (var delete = await node.Admin.DeleteAsync($"/api/handles/{prefix}/C1", Ct))
        {
            Assert.Equal(200, (int)delete.StatusCode);
        }

        var count = await Read(node.Admin.GetAsync($"/api/handles?prefix={prefix}&page=0&pageSize=0", Ct));
        Assert.Equal("3", count.Body.GetProperty("totalCount").GetString());
    }

    [Theory]
    [InlineData("page=-1&pageSize=2")]
    [InlineData("page=1&pageSize=x")]
    [InlineData("page=1&page=2&pageSize=2")]
    [InlineData("page=99999999999&pageSize=2")]
    public async Task A_bad_page_or_page_size_is_a_protocol_error(string query)
    {
        var (status, body) = await Read(node.Admin.GetAsync($"/api/handles?prefix={SmallPageNode.Prefix}&{query}", Ct));

        Assert.Equal((400, 4), (status, body.GetProperty("responseCode").GetInt32()));
    }

    private static IEnumerable<string> Handles(JsonElement body) => body.GetProperty("handles").EnumerateArray().Select(h => h.GetString()!);
}

/// <summary>A listing whose store fails part way: a clear 503 before the answer starts, a cut connection after.</summary>
public sealed class HandleRestListingFailureTests : IAsyncLifetime
{
    private readonly NodeFactory _root = new NodeFactory().With("Registry:MaxPageSize", "3").With("Registry:DefaultPageSize", "3").With("RateLimits:Enabled", "false");
    private WebApplicationFactory<Program> _host = null!;
    private ListingFailsAfter _store = null!;
    private HttpClient _admin = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _host = _root.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            var original = services.Last(d => d.ServiceType == typeof(IHandleStore));
            services.AddSingleton<IHandleStore>(provider => _store = new ListingFailsAfter((IHandleStore)original.ImplementationFactory!(provider)));
        }));
        _admin = _host.CreateClient();
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await Tokens.GetAsync(_host.CreateClient(), Tokens.AdministratorName, Tokens.AdministratorPassword));
        for (var i = 0; i < 10; i++)
        {
            using var put = await _admin.PutAsync($"/api/handles/{SmallPageNode.Prefix}/F{i}", Json("""[{"index":1,"type":"URL","data":"https://f.test"}]"""), Ct);
            Assert.Equal(201, (int)put.StatusCode);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
        await _root.DisposeAsync();
    }

    [Fact]
    public async Task A_store_that_fails_before_the_first_page_is_a_503_with_retry_after()
    {
        _store.FailAfter(0);

        using var response = await _admin.GetAsync($"/api/handles?prefix={SmallPageNode.Prefix}", Ct);

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(3, body.RootElement.GetProperty("responseCode").GetInt32());
    }

    [Fact]
    public async Task A_store_that_fails_after_the_answer_started_cuts_the_connection_rather_than_end_the_list_early()
    {
        _store.FailAfter(2);

        using var response = await _admin.GetAsync($"/api/handles?prefix={SmallPageNode.Prefix}", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(200, (int)response.StatusCode);

        // Whatever arrived, it is never a complete JSON answer that a client could take for the whole prefix.
        var read = await Record.ExceptionAsync(async () => JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Dispose());
        Assert.NotNull(read);
    }

    /// <summary>Lets a test make the store's listing fail after a number of pages.</summary>
    private sealed class ListingFailsAfter(IHandleStore inner) : IHandleStore
    {
        private int _remaining = int.MaxValue;

        public void FailAfter(int pages) => Volatile.Write(ref _remaining, pages);

        public ValueTask<HandlePage> ListAsync(string prefixKey, string? afterKey, int limit, CancellationToken cancellationToken) =>
            Interlocked.Decrement(ref _remaining) < 0
                ? ValueTask.FromException<HandlePage>(new StoreUnavailableException("the test made the store fail"))
                : inner.ListAsync(prefixKey, afterKey, limit, cancellationToken);

        public ValueTask<Core.Records.HandleRecord?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

        public ValueTask<IReadOnlyList<Core.Records.HandleRecord?>> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
            inner.GetManyAsync(keys, cancellationToken);

        public ValueTask<IReadOnlyList<StoreWriteResult>> WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken) => inner.WriteAsync(writes, cancellationToken);

        public ValueTask<long> CountAsync(string prefixKey, CancellationToken cancellationToken) => inner.CountAsync(prefixKey, cancellationToken);

        public ValueTask CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);

        public ValueTask<ChangePage> ReadChangesAsync(long afterPosition, int limit, CancellationToken cancellationToken) =>
            inner.ReadChangesAsync(afterPosition, limit, cancellationToken);

        public ValueTask<long> LastChangePositionAsync(CancellationToken cancellationToken) => inner.LastChangePositionAsync(cancellationToken);

        public ValueTask<long?> ReadCursorAsync(string name, CancellationToken cancellationToken) => inner.ReadCursorAsync(name, cancellationToken);

        public ValueTask WriteCursorAsync(string name, long value, CancellationToken cancellationToken) => inner.WriteCursorAsync(name, value, cancellationToken);

        public ValueTask<bool> TryAcquireLeaseAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken) =>
            inner.TryAcquireLeaseAsync(name, owner, duration, cancellationToken);

        public ValueTask ReleaseLeaseAsync(string name, string owner, CancellationToken cancellationToken) => inner.ReleaseLeaseAsync(name, owner, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
