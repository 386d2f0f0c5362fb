using System.Net;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using IdResolution.Caching.Redis.Tests.Support;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;
using IdResolution.Storage.Embedded.Tests.Disks;

namespace IdResolution.Node.Tests.Disks;

/// <summary>
/// A real node process whose disk fills up: writes answer 503 / UNAVAILABLE with Handle code 2 and a
/// message that says the disk is full, nothing refused is stored, reads go on, and writes resume
/// without a restart once space is freed. The disk is a mounted tmpfs (needs root; skipped with the
/// reason elsewhere) or, in the fault-injection test, ENOSPC from a shim preloaded into the process.
/// </summary>
public sealed class DiskFullTests
{
    private const string Prefix = "88.709.940";
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_full_store_disk_refuses_writes_with_code_2_keeps_reads_and_recovers_without_restart()
    {
        using var disk = SmallFilesystem.MountOrSkip(8);
        await using var node = await NodeProcess.StartAsync(disk.Path, Ready);
        await StoreDiskFillsUpAndFreesAsync(node, disk);
    }

    [Fact]
    public async Task Writes_that_fail_with_enospc_at_the_file_layer_are_refused_with_code_2_and_recover_without_restart()
    {
        using var disk = EnospcInjection.BuildOrSkip();
        await using var node = await NodeProcess.StartAsync(disk.Path, Ready, disk.Environment);
        await StoreDiskFillsUpAndFreesAsync(node, disk);
    }

    /// <summary>
    /// The store write succeeds and the audit append does not: the write is stored but not
    /// acknowledged (503, code 2, saying so), a failed sign-in cannot be recorded either, and
    /// repeating the write once space is back succeeds without a change and is recorded.
    /// </summary>
    [Fact]
    public async Task A_full_audit_disk_refuses_to_acknowledge_what_it_cannot_record_and_a_repeat_succeeds_once_space_returns()
    {
        using var data = new TempDirectory();
        using var disk = SmallFilesystem.MountOrSkip(1);
        await using var node = await NodeProcess.StartAsync(data.Path, Ready, $"--Security:AuditPath={Path.Combine(disk.Path, "audit")}");
        var registry = new Registry.RegistryClient(node.Channel);
        Assert.Equal(1, (await registry.CreateHandleAsync(Values.Create($"{Prefix}/recorded", Values.Url(1, "https://full.test/recorded")))).ResponseCode);

        disk.Fill();

        // The audit file's last page may take an entry or two before an append is refused.
        CreateHandleRequest? unrecorded = null;
        RpcException? refusal = null;
        for (var i = 0; i < 200 && refusal is null; i++)
        {
            var request = Values.Create($"{Prefix}/unrecorded-{i:D3}", Values.Url(1, $"https://full.test/{i}"));
            try
            {
                await registry.CreateHandleAsync(request);
            }
            catch (RpcException exception)
            {
                (refusal, unrecorded) = (exception, request);
            }
        }

        Assert.NotNull(refusal);
        Assert.Equal((StatusCode.Unavailable, 2), (refusal.StatusCode, Errors.ResponseCode(refusal)));
        Assert.Contains("audit trail's disk is full", refusal.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("stored", refusal.Status.Detail, StringComparison.Ordinal);

        // As the answer said: stored, and served.
        var resolution = new Contracts.V1.Resolution.ResolutionClient(node.AnonymousChannel);
        Assert.Equal(unrecorded!.Values[0].Data.StringValue, (await resolution.ResolveAsync(new ResolveRequest { Handle = unrecorded.Handle })).Values[0].Data.StringValue);

        // A failed sign-in must be recorded too; when it cannot be, the node says so instead of answering 401.
        (HttpStatusCode Status, string Body) signIn = (HttpStatusCode.Unauthorized, string.Empty);
        for (var i = 0; i < 200 && signIn.Status != HttpStatusCode.ServiceUnavailable; i++)
        {
            using var response = await node.Http.PostAsync("/identity/token", Json($$"""{"username":"{{Tokens.AdministratorName}}","password":"wrong-{{i}}"}"""));
            signIn = (response.StatusCode, await response.Content.ReadAsStringAsync());
            Assert.True(signIn.Status is HttpStatusCode.Unauthorized or HttpStatusCode.ServiceUnavailable, $"sign-in with a wrong password: {signIn}");
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, signIn.Status);
        using (var reply = JsonDocument.Parse(signIn.Body))
        {
            Assert.Contains("audit trail's disk is full", reply.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }


        disk.Free();

        // The client repeats the write it was not given an answer for: it succeeds, changes nothing, and is recorded.
        WriteResponse? repeated = null;
        await Poll.UntilAsync(async () =>
        {
            try
            {
                repeated = await registry.CreateHandleAsync(unrecorded);
                return true;
            }
            catch (RpcException exception) when (exception.StatusCode == StatusCode.Unavailable)
            {
                return false;
            }
        }, "the repeated write succeeds once the audit disk has space");
        Assert.Equal((1, false), (repeated!.ResponseCode, repeated.Created));
        var audit = await new Administration.AdministrationClient(node.Channel).QueryAuditAsync(new QueryAuditRequest { Prefix = Prefix });
        Assert.Contains(audit.Entries, e => e.Target == unrecorded.Handle && e.ResponseCode == 1);
    }

    /// <summary>
    /// Handle REST writes on a full store disk answer as the other surfaces do: 503 with code 2 and the
    /// store's message (not SERVER_TOO_BUSY, which says nothing of the disk), and a write goes through
    /// again, without a restart, once space is freed.
    /// </summary>
    [Fact]
    public async Task A_full_store_disk_refuses_handle_rest_writes_with_503_code_2_and_the_reason()
    {
        using var disk = SmallFilesystem.MountOrSkip(8);
        await using var node = await NodeProcess.StartAsync(disk.Path, Ready);
        using var admin = new HttpClient(new BearerHandler(node.AdminToken, new SocketsHttpHandler())) { BaseAddress = node.Http.BaseAddress };
        using (var created = await admin.PutAsync($"/api/handles/{Prefix}/rest-kept", Json("""[{"index":1,"type":"URL","data":"https://full.test/rest"}]""")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        disk.Fill();

        (HttpStatusCode Status, string Body) answer = (HttpStatusCode.Created, string.Empty);
        for (var i = 0; i < 200 && answer.Status == HttpStatusCode.Created; i++)
        {
            using var response = await admin.PutAsync($"/api/handles/{Prefix}/rest-late-{i:D3}", Json("""[{"index":1,"type":"URL","data":"https://full.test/late"}]"""));
            answer = (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        using var body = JsonDocument.Parse(answer.Body);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, 2), (answer.Status, body.RootElement.GetProperty("responseCode").GetInt32()));
        Assert.Contains("disk is full", body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        using (var kept = await node.Http.GetAsync($"/api/handles/{Prefix}/rest-kept"))
        {
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        }

        disk.Free();

        // No restart: the REST surface takes writes again once the store has reopened itself.
        await Poll.UntilAsync(async () =>
        {
            using var response = await admin.PutAsync($"/api/handles/{Prefix}/rest-resumed", Json("""[{"index":1,"type":"URL","data":"https://full.test/rest-resumed"}]"""));
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"a REST write while space returns answers {response.StatusCode}");
            return response.StatusCode == HttpStatusCode.Created;
        }, "a REST write succeeds after the space came back");
        using var resumed = await node.Http.GetAsync($"/api/handles/{Prefix}/rest-resumed");
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
    }

    private static async Task StoreDiskFillsUpAndFreesAsync(NodeProcess node, IFillableDisk disk)
    {
        var registry = new Registry.RegistryClient(node.Channel);
        var acknowledged = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var handle = $"{Prefix}/kept-{i:D2}";
            Assert.Equal(1, (await registry.CreateHandleAsync(Values.Create(handle, Values.Url(1, "https://full.test/" + handle)))).ResponseCode);
            acknowledged.Add(handle);
        }

        disk.Fill();

        // Written until the store refuses: the last page of its log (or of the audit file, which is
        // then stored but not acknowledged) may take a write or two first.
        var refused = new List<string>();
        var unrecorded = new List<string>();
        for (var i = 0; i < 200 && refused.Count == 0; i++)
        {
            var handle = $"{Prefix}/late-{i:D3}";
            try
            {
                await registry.CreateHandleAsync(Values.Create(handle, Values.Url(1, "https://full.test/" + handle)));
                acknowledged.Add(handle);
            }
            catch (RpcException exception)
            {
                Assert.Equal((StatusCode.Unavailable, 2), (exception.StatusCode, Errors.ResponseCode(exception)));
                Assert.Contains("disk is full", exception.Status.Detail, StringComparison.Ordinal);
                Assert.DoesNotContain(disk.Path, exception.Status.Detail, StringComparison.Ordinal);
                (exception.Status.Detail.Contains("audit trail", StringComparison.Ordinal) ? unrecorded : refused).Add(handle);
            }
        }

        Assert.True(refused.Count == 1, $"no write was refused on a full disk; {acknowledged.Count} were acknowledged");

        // The JSON surface and the administration say the same.
        using (var response = await Authorized(node, HttpMethod.Put, $"/v1/handles/{Prefix}/json-late", """{"values":[{"index":1,"type":"URL","data":{"string":"https://full.test/json"}}]}"""))
        {
            var (status, code, message) = await JsonError(response);
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "2"), (status, code));
            Assert.Contains("store's disk is full", message, StringComparison.Ordinal);
            refused.Add($"{Prefix}/json-late");
        }

        var administration = new Administration.AdministrationClient(node.Channel);
        var account = await Assert.ThrowsAsync<RpcException>(() => administration.CreateAccountAsync(new CreateAccountRequest { Name = "fullacct", Password = "full-password" }).ResponseAsync);
        Assert.Equal((StatusCode.Unavailable, 2), (account.StatusCode, Errors.ResponseCode(account)));

        // Reads go on, on every surface, and the node stays ready (it serves).
        await AssertServedAsync(node, acknowledged.Concat(unrecorded), refused);
        using (var proxy = await node.Http.GetAsync($"/{Prefix}/kept-00?noredirect"))
        {
            Assert.Equal(HttpStatusCode.OK, proxy.StatusCode);
        }

        using (var rest = await node.Http.GetAsync($"/api/handles/{Prefix}/kept-00"))
        {
            Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        }

        using (var ready = await node.Http.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        disk.Free();

        // No restart: the next writes succeed once the store has reopened itself.
        var resumed = $"{Prefix}/resumed";
        await Poll.UntilAsync(async () =>
        {
            try
            {
                return (await registry.CreateHandleAsync(Values.Create(resumed, Values.Url(1, "https://full.test/" + resumed)))).ResponseCode == 1;
            }
            catch (RpcException exception) when (exception.StatusCode == StatusCode.Unavailable)
            {
                return false;
            }
        }, "a write succeeds after the space came back");
        acknowledged.Add(resumed);
        using (var response = await Authorized(node, HttpMethod.Put, $"/v1/handles/{Prefix}/json-resumed", """{"values":[{"index":1,"type":"URL","data":{"string":"https://full.test/json-resumed"}}]}"""))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await AssertServedAsync(node, acknowledged.Concat(unrecorded), refused);
    }

    /// <summary>Every stored handle resolves with the value it was written with; no refused one resolves at all.</summary>
    private static async Task AssertServedAsync(NodeProcess node, IEnumerable<string> stored, IEnumerable<string> refused)
    {
        var resolution = new Contracts.V1.Resolution.ResolutionClient(node.AnonymousChannel);
        foreach (var handle in stored)
        {
            var reply = await resolution.ResolveAsync(new ResolveRequest { Handle = handle, Authoritative = true });
            Assert.Equal("https://full.test/" + handle, reply.Values[0].Data.StringValue);
        }

        foreach (var handle in refused)
        {
            var missing = await Assert.ThrowsAsync<RpcException>(() => resolution.ResolveAsync(new ResolveRequest { Handle = handle, Authoritative = true }).ResponseAsync);
            Assert.True(missing.StatusCode == StatusCode.NotFound, $"{handle}, refused, answers {missing.Status}");
        }
    }

    private static async Task<HttpResponseMessage> Authorized(NodeProcess node, HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = Json(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", node.AdminToken);
        return await node.Http.SendAsync(request);
    }

    /// <summary>HTTP status, Handle response code and message of a JSON-transcoding error.</summary>
    private static async Task<(HttpStatusCode Status, string? Code, string Message)> JsonError(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var code = json.RootElement.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("metadata").GetProperty("responseCode").GetString()).FirstOrDefault();
        return (response.StatusCode, code, json.RootElement.GetProperty("message").GetString() ?? string.Empty);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
