using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using IdResolution.Contracts.V1;
using IdResolution.Node.Security;
using IdResolution.Node.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdResolution.Node.Tests;

/// <summary>
/// Budgets per client and per kind of work: a flooding client is refused (HTTP 429 / gRPC
/// RESOURCE_EXHAUSTED with Retry-After and Handle code 3) while others are served.
/// </summary>
public sealed class RateLimitTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task A_flooding_client_is_refused_while_another_clients_resolutions_all_succeed()
    {
        using var data = new TempDirectory();
        await using var node = await NodeProcess.StartAsync(data.Path, TimeSpan.FromSeconds(60),
            "--RateLimits:Resolution:PermitsPerSecond=1", "--RateLimits:Resolution:Burst=50");
        await new Registry.RegistryClient(node.Channel).CreateHandleAsync(Values.Create("88.709.950/flood", Values.Url(1, "https://f.test")));

        using var attacker = new LoopbackClient(Attacker, node);
        var attackerResolution = new Contracts.V1.Resolution.ResolutionClient(attacker.Channel);
        var flood = new Flood();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            // Bounded: at most 5,000 requests per worker, and never past the deadline.
            for (var i = 0; i < 5000 && !stop.IsCancellationRequested; i++)
            {
                if (worker % 2 == 0)
                {
                    await flood.JsonAsync(attacker.Http);
                }
                else
                {
                    await flood.GrpcAsync(attackerResolution);
                }
            }
        })).ToList();

        await PollAsync(() => Volatile.Read(ref flood.JsonRefused) > 0 && Volatile.Read(ref flood.GrpcRefused) > 0, "the flood is refused over JSON and gRPC");
        var refusedBefore = flood.Refused;

        // 40 resolutions from 127.0.0.1 during the flood, within that client's own burst of 50.
        var victim = new Contracts.V1.Resolution.ResolutionClient(node.Channel);
        var latencies = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            var json = await node.Http.GetAsync("/v1/handles/88.709.950/flood");
            Assert.Equal(HttpStatusCode.OK, json.StatusCode);
            var reply = await victim.ResolveAsync(new ResolveRequest { Handle = "88.709.950/flood" });
            Assert.Equal(1, reply.ResponseCode);
            latencies.Add(clock.Elapsed.TotalMilliseconds / 2);
        }

        var refusedDuring = flood.Refused - refusedBefore;
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.True(refusedDuring > 0, "the flood went on while the other client resolved");
        Assert.True(flood.Served <= 50 + 70, $"the attacker was served {flood.Served} times; its budget is a burst of 50 plus 1 a second");
        Assert.Empty(flood.Unexpected);
        latencies.Sort();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"attacker: {flood.Served} served, {flood.JsonRefused} JSON and {flood.GrpcRefused} gRPC refused; " +
            $"other client during the flood: median {latencies[latencies.Count / 2]:F1} ms, max {latencies[^1]:F1} ms");
    }

    [Fact]
    public async Task Exhausting_the_write_budget_does_not_block_resolution()
    {
        using var factory = TinyBudgets();

        // One identity (the administrator) for every call, so they share its budgets.
        var http = factory.CreateAdminClient();
        await factory.Registry.CreateHandleAsync(Values.Create("88.709.951/w", Values.Url(1, "https://w.test")));
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsync("/v1/handles/88.709.951/w2", Json("""{"values":[{"index":1,"type":"URL","data":{"string":"https://w.test"}}]}"""))).StatusCode);
        await factory.Registry.DeleteHandleAsync(new DeleteHandleRequest { Handle = "88.709.951/w2" });

        var refused = await Assert.ThrowsAsync<RpcException>(() => factory.Registry.CreateHandleAsync(Values.Create("88.709.951/w3", Values.Url(1, "https://w.test"))).ResponseAsync);
        AssertRefused(refused);
        var json = await http.PostAsync("/v1/values:add", Json("""{"handle":"88.709.951/w","values":[{"index":2,"type":"URL","data":{"string":"https://x.test"}}]}"""));
        await AssertRefusedAsync(json);

        // The resolution budget (also 3) is untouched.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/handles/88.709.951/w")).StatusCode);
        Assert.Equal(1, (await factory.Resolution.ResolveAsync(new ResolveRequest { Handle = "88.709.951/w" })).ResponseCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/v1/handles:resolveBatch", Json("""{"handles":["88.709.951/w"]}"""))).StatusCode);
        await AssertRefusedAsync(await http.GetAsync("/v1/handles/88.709.951/w"));
    }

    [Fact]
    public async Task Exhausting_the_resolution_budget_does_not_block_writes()
    {
        using var factory = TinyBudgets();

        // One identity (the administrator) for every call, so they share its budgets.
        var http = factory.CreateAdminClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/v1/handles/88.709.952/absent")).StatusCode);
        }

        AssertRefused(await Assert.ThrowsAsync<RpcException>(() => factory.Resolution.ResolveAsync(new ResolveRequest { Handle = "88.709.952/absent" }).ResponseAsync));
        await AssertRefusedAsync(await http.PostAsync("/v1/handles:resolveBatch", Json("""{"handles":["88.709.952/absent"]}""")));

        // The write budget (also 3) is untouched.
        Assert.Equal(1, (await factory.Registry.CreateHandleAsync(Values.Create("88.709.952/r", Values.Url(1, "https://r.test")))).ResponseCode);
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync("/v1/handles/88.709.952/r")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/prefixes/88.709.952/handles")).StatusCode);
        await AssertRefusedAsync(await http.DeleteAsync("/v1/handles/88.709.952/r"));
    }

    [Fact]
    public async Task Health_readiness_metrics_grpc_health_and_reflection_are_never_limited()
    {
        using var factory = TinyBudgets();
        var http = factory.CreateClient();
        var health = new Health.HealthClient(factory.Channel);
        for (var i = 0; i < 3; i++)
        {
            await http.GetAsync("/v1/handles/88.709.953/absent");
        }

        await AssertRefusedAsync(await http.GetAsync("/v1/handles/88.709.953/absent"));
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/metrics")).StatusCode);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        }

        var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(factory.Channel);
        for (var i = 0; i < 10; i++)
        {
            using var call = reflection.ServerReflectionInfo();
            await call.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = string.Empty });
            await call.RequestStream.CompleteAsync();
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Budgets_belong_to_authenticated_identities_and_anonymous_callers_to_their_address()
    {
        using var root = TinyBudgets();
        using var factory = root.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddAuthentication(TestIdentity.SchemeName).AddScheme<AuthenticationSchemeOptions, TestIdentity>(TestIdentity.SchemeName, null)));
        var http = factory.CreateClient();
        using var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
        var resolution = new Contracts.V1.Resolution.ResolutionClient(channel);
        var acme = new Metadata { { TestIdentity.Header, "300:0.NA/88.709.954" } };

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => resolution.ResolveAsync(new ResolveRequest { Handle = "88.709.954/absent" }, acme).ResponseAsync);
        }

        AssertRefused(await Assert.ThrowsAsync<RpcException>(() => resolution.ResolveAsync(new ResolveRequest { Handle = "88.709.954/absent" }, acme).ResponseAsync));

        // Another index of the same handle is another identity; anonymous callers have their own budget.
        using var other = new HttpRequestMessage(HttpMethod.Get, "/v1/handles/88.709.954/absent");
        other.Headers.Add(TestIdentity.Header, "301:0.NA/88.709.954");
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(other)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/v1/handles/88.709.954/absent")).StatusCode);
    }

    [Fact]
    public async Task With_limits_disabled_nothing_is_refused()
    {
        using var factory = TinyBudgets().With("RateLimits:Enabled", "false");
        var http = factory.CreateClient();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/v1/handles/88.709.955/absent")).StatusCode);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await http.DeleteAsync("/v1/handles/88.709.955/absent")).StatusCode);
        }
    }

    [Fact]
    public async Task The_proxy_route_spends_the_resolution_budget_it_shares_with_every_other_resolve()
    {
        using var factory = TinyBudgets();
        var http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/v1/handles/88.709.956/absent")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/88.709.956/absent")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/88.709.956/absent?noredirect")).StatusCode);

        await AssertRefusedAsync(await http.GetAsync("/88.709.956/absent"));
        await AssertRefusedAsync(await http.GetAsync("/v1/handles/88.709.956/absent"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Each_request_is_authenticated_once_whatever_its_credentials()
    {
        using var factory = new NodeFactory();
        var anonymous = factory.CreateClient();
        var administrator = factory.CreateAdminClient();
        var refused = factory.CreateClientFor("not-a-token");
        using var authentications = new AuthenticationCount(factory.Services.GetRequiredService<IMeterFactory>());

        foreach (var (client, expected) in new[] { (anonymous, HttpStatusCode.NotFound), (administrator, HttpStatusCode.NotFound), (refused, HttpStatusCode.Unauthorized) })
        {
            _ = authentications.Take();
            Assert.Equal(expected, (await client.GetAsync("/v1/handles/88.709.957/absent")).StatusCode);
            var (all, bearer) = authentications.Take();

            // Once by the node's scheme, which hands the request to the one scheme its credentials name (Bearer here).
            Assert.Equal(1, bearer);
            Assert.Equal(2, all);
        }
    }

    [Fact]
    public async Task Bad_credentials_spend_the_budget_of_the_address_they_come_from()
    {
        using var data = new TempDirectory();
        await using var node = await NodeProcess.StartAsync(data.Path, TimeSpan.FromSeconds(60),
            "--RateLimits:Resolution:PermitsPerSecond=0.001", "--RateLimits:Resolution:Burst=3");
        using var sender = new LoopbackClient(Attacker, node);
        const string Path = "/v1/handles/88.709.958/absent";

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(sender.Http, "Bearer not-a-token")).StatusCode);
        }

        await AssertRefusedAsync(await SendAsync(sender.Http, "Bearer not-a-token"));
        await AssertRefusedAsync(await SendAsync(sender.Http, "Basic " + Convert.ToBase64String("300%3A0.NA%2F88.709:wrong"u8.ToArray())));
        await AssertRefusedAsync(await sender.Http.GetAsync(Path));
        var grpc = await Assert.ThrowsAsync<RpcException>(() => new Contracts.V1.Resolution.ResolutionClient(sender.Channel)
            .ResolveAsync(new ResolveRequest { Handle = "88.709.958/absent" }, new Metadata { { "authorization", "Bearer not-a-token" } }).ResponseAsync);
        AssertRefused(grpc);

        // A client that authenticates spends its own budget, wherever it connects from; other addresses keep theirs.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(sender.Http, "Bearer " + node.AdminToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await node.Http.GetAsync(Path)).StatusCode);

        async Task<HttpResponseMessage> SendAsync(HttpClient http, string authorization)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Path);
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            return await http.SendAsync(request);
        }
    }

    /// <summary>Three requests of each kind per client, and (practically) no refill during a test.</summary>
    private static NodeFactory TinyBudgets() => new NodeFactory()
        .With("RateLimits:Resolution:PermitsPerSecond", "0.001").With("RateLimits:Resolution:Burst", "3")
        .With("RateLimits:Writes:PermitsPerSecond", "0.001").With("RateLimits:Writes:Burst", "3");

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static void AssertRefused(RpcException exception)
    {
        Assert.Equal(StatusCode.ResourceExhausted, exception.StatusCode);
        Assert.Equal(3, Errors.ResponseCode(exception));
        var retryAfter = exception.Trailers.GetValue("retry-after");
        Assert.NotNull(retryAfter);
        Assert.True(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After in whole seconds");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(8, body.GetProperty("code").GetInt32());
        var info = Assert.Single(body.GetProperty("details").EnumerateArray());
        Assert.Equal("SERVER_TOO_BUSY", info.GetProperty("reason").GetString());
        Assert.Equal("3", info.GetProperty("metadata").GetProperty("responseCode").GetString());
    }

    private static async Task PollAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"gave up waiting until {what}");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Counts of one flooding client's answers.</summary>
    private sealed class Flood
    {
        public int Served;
        public int JsonRefused;
        public int GrpcRefused;

        public System.Collections.Concurrent.ConcurrentBag<string> Unexpected { get; } = [];

        public int Refused => Volatile.Read(ref JsonRefused) + Volatile.Read(ref GrpcRefused);

        public async Task JsonAsync(HttpClient http)
        {
            using var response = await http.GetAsync("/v1/handles/88.709.950/flood");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Interlocked.Increment(ref Served);
                return;
            }

            try
            {
                await AssertRefusedAsync(response);
                Interlocked.Increment(ref JsonRefused);
            }
            catch (Xunit.Sdk.XunitException exception)
            {
                Unexpected.Add(exception.Message);
            }
        }

        public async Task GrpcAsync(Contracts.V1.Resolution.ResolutionClient resolution)
        {
            try
            {
                await resolution.ResolveAsync(new ResolveRequest { Handle = "88.709.950/flood" });
                Interlocked.Increment(ref Served);
            }
            catch (RpcException exception)
            {
                try
                {
                    AssertRefused(exception);
                    Interlocked.Increment(ref GrpcRefused);
                }
                catch (Xunit.Sdk.XunitException failure)
                {
                    Unexpected.Add(failure.Message);
                }
            }
        }
    }

    /// <summary>
    /// Counts the authentications one node records (ASP.NET Core's aspnetcore.authentication.authenticate.duration),
    /// all of them and those of the Bearer scheme, from that node's meters only.
    /// </summary>
    private sealed class AuthenticationCount : IDisposable
    {
        private readonly MeterListener _listener = new();
        private int _all;
        private int _bearer;

        public AuthenticationCount(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "aspnetcore.authentication.authenticate.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
            {
                Interlocked.Increment(ref _all);
                foreach (var tag in tags)
                {
                    if (tag is { Key: "aspnetcore.authentication.scheme", Value: "Bearer" })
                    {
                        Interlocked.Increment(ref _bearer);
                    }
                }
            });
            _listener.Start();
        }

        /// <summary>The counts since the last call, and a fresh start.</summary>
        public (int All, int Bearer) Take() => (Interlocked.Exchange(ref _all, 0), Interlocked.Exchange(ref _bearer, 0));

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>A test-only scheme: header "x-test-identity: index:handle" authenticates as that admin identity.</summary>
    private sealed class TestIdentity(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Test";
        public const string Header = "x-test-identity";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var value = Request.Headers[Header].ToString();
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity(
                [new Claim(NodeClaims.Index, value[..colon]), new Claim(NodeClaims.Handle, value[(colon + 1)..]), new Claim(NodeClaims.Kind, NodeClaims.KindAdmin)],
                SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
    }
}
