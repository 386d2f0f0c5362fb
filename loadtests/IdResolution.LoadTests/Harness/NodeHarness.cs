using System.Globalization;
using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using IdResolution.Contracts.V1;

namespace IdResolution.LoadTests.Harness;

/// <summary>
/// Runs scenarios against a running node over its real ports, each right after the baseline it is compared with,
/// and writes the figures as a table and as JSON. Exit codes: 0 clean, 1 errors during a scenario, 2 bad arguments.
/// </summary>
internal sealed class NodeHarness : IDisposable
{
    /// <summary>What each scenario is compared with: the no-op on the same surface, or (a batch) the unary call it replaces.</summary>
    private static readonly Dictionary<string, string> Baselines = new(StringComparer.Ordinal)
    {
        ["resolve-hot"] = "baseline-grpc",
        ["resolve-http"] = "baseline-http-get",
        ["redirect"] = "baseline-http-302",
        ["resolve-batch-100"] = "resolve-hot",
        ["resolve-batch-1000"] = "resolve-hot",
        ["resolve-cold"] = "resolve-hot",
        ["register"] = "baseline-grpc",
        ["register-batch"] = "baseline-grpc",
        ["mixed"] = "baseline-grpc",
        ["federation"] = "resolve-hot",
        ["resolve-redis"] = "baseline-grpc",
    };

    /// <summary>The same no-ops on the bare app (<c>--ceiling</c>): what the stack itself reaches, without the node's middleware.</summary>
    private static readonly Dictionary<string, string> Ceilings = new(StringComparer.Ordinal)
    {
        ["baseline-grpc"] = "ceiling-grpc",
        ["baseline-http-get"] = "ceiling-http-get",
        ["baseline-http-302"] = "ceiling-http-302",
    };

    /// <summary>Unmeasured time at the start of each measured scenario (all were warmed before): the callers ramp up.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(0.5);

    private readonly HarnessOptions _options;
    private readonly HttpClient _http;
    private readonly GrpcChannel _channel;
    private readonly Dataset _dataset;

    /// <summary>Another node's identifiers, resolved through this one (the federation scenario); null otherwise.</summary>
    private readonly Dataset? _foreign;
    private readonly string _run = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
    private Metadata _auth = [];
    private NodeProcessRun? _ceiling;

    private NodeHarness(HarnessOptions options, Dataset dataset, Dataset? foreign)
    {
        _options = options;
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = Math.Max(options.Callers, 64), UseCookies = false };
        _http = new HttpClient(handler) { BaseAddress = options.Target };
        _channel = GrpcChannel.ForAddress(options.Grpc, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        _dataset = dataset;
        _foreign = foreign;
    }

    public void Dispose()
    {
        _http.Dispose();
        _channel.Dispose();
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (!HarnessOptions.TryParse(args, out var options, out var error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(HarnessOptions.Usage);
            return 2;
        }

        if (options.Scenarios is ["federation"])
        {
            return await FederationRun.RunAsync(options, cancellationToken);
        }

        if (options.OwnNode)
        {
            return await OwnNodeRun.RunAsync(options, cancellationToken);
        }

        using var harness = new NodeHarness(options, new Dataset(options.Handles), foreign: null);
        return await harness.RunAsync(cancellationToken);
    }

    /// <summary>
    /// Runs against a node the caller started: <paramref name="dataset"/> is this node's own (seeded here unless the
    /// options say not to), <paramref name="foreign"/> another node's, already there, which the federation scenario
    /// resolves through this node (null for a node on its own).
    /// </summary>
    public static async Task<int> RunAsync(HarnessOptions options, Dataset dataset, Dataset? foreign, CancellationToken cancellationToken)
    {
        using var harness = new NodeHarness(options, dataset, foreign);
        return await harness.RunAsync(cancellationToken);
    }

    private async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        Console.WriteLine($"machine: {MachineLine.Current(ResultsFile.Commit())}");
        await SignInAsync(cancellationToken);
        if (_options.Seed)
        {
            await DatasetSeeder.SeedAsync(_channel, _auth, _dataset, _options.Target.Authority, cancellationToken);
        }

        if (_options.Scenarios.Contains("resolve-redis"))
        {
            // Every handle once, so that Redis holds them all before the warm-up.
            await DatasetSeeder.PrimeAsync(_channel, _dataset, "the dataset into Redis", cancellationToken);
        }

        // The stack's own ceiling, when asked for: the bare app with the same no-ops, for the baselines to be compared with.
        await using var ceiling = _options.Ceiling ? await StartCeilingAsync(cancellationToken) : null;
        _ceiling = ceiling;

        // Every scenario and baseline is warmed before any is measured, so a baseline measured first is not also the
        // one that paid for the JIT and the connections.
        var warmed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in Expand(_options.Scenarios).SelectMany(Chain))
        {
            if (warmed.Add(name) && _options.Warmup > TimeSpan.Zero)
            {
                await LoadDriver.ClosedLoopAsync(name + " (warm)", Operation(name), _options.Callers, TimeSpan.Zero, _options.Warmup, cancellationToken);
                Console.Error.WriteLine();
            }
        }

        // Each measured right after what it is compared with (ceiling, then baseline, then scenario), each once.
        var results = new List<ScenarioFigures>();
        foreach (var name in Expand(_options.Scenarios).SelectMany(Chain))
        {
            if (results.All(r => r.Scenario != name))
            {
                var figures = await MeasureAsync(name, cancellationToken);
                results.Add(BaselineOf(name) is { } baseline ? figures.Against(results.First(r => r.Scenario == baseline)) : figures);
            }
        }

        var machine = MachineLine.Current(ResultsFile.Commit());
        Console.WriteLine();
        Console.WriteLine($"machine: {machine}");
        ResultsFile.WriteTable(Console.Out, results);
        Console.WriteLine($"results: {ResultsFile.Write(_options.Results, machine, started, results)}");
        return results.Any(r => r.Errors > 0) ? 1 : 0;
    }

    /// <summary>What <paramref name="scenario"/> is compared with in this run: its baseline, or for a baseline the stack's ceiling when measured.</summary>
    private string? BaselineOf(string scenario) =>
        Baselines.TryGetValue(scenario, out var baseline) ? baseline
        : _options.Ceiling && Ceilings.TryGetValue(scenario, out var ceiling) ? ceiling
        : null;

    /// <summary>The scenario after everything it is compared with, the first compared-with first.</summary>
    private IEnumerable<string> Chain(string scenario) =>
        BaselineOf(scenario) is { } baseline ? [.. Chain(baseline), scenario] : [scenario];

    private static IEnumerable<string> Expand(IEnumerable<string> scenarios) => scenarios.SelectMany(scenario => scenario switch
    {
        "baseline-http" => ["baseline-http-get", "baseline-http-302"],
        "resolve-batch" => ["resolve-batch-100", "resolve-batch-1000"],
        "seed" => Array.Empty<string>(),
        _ => [scenario],
    });

    private async Task<ScenarioFigures> MeasureAsync(string scenario, CancellationToken cancellationToken)
    {
        var operation = Operation(scenario);
        var tiers = scenario == "resolve-redis" ? await TierReading.ReadAsync(_http, cancellationToken) : null;
        var load = MachineLine.ReadLoadAverage();
        var tally = _options.Rate is { } rate
            ? await LoadDriver.OpenLoopAsync(scenario, operation, rate, Math.Max(_options.Callers, 256), Settle, _options.Measured, cancellationToken)
            : await LoadDriver.ClosedLoopAsync(scenario, operation, _options.Callers, Settle, _options.Measured, cancellationToken);
        var figures = ScenarioFigures.From(scenario, _options.Rate is null ? "closed" : "open", _options.Callers, _options.Rate, _options.Measured, tally);
        var l = figures.LatencyMs;
        Console.Error.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{scenario}: {figures.IdentifiersPerSecond:N0} ids/s, {figures.CallsPerSecond:N0} calls/s, p50 {l.P50:0.###} p90 {l.P90:0.###} p99 {l.P99:0.###} p99.9 {l.P999:0.###} max {l.Max:0.###} ms, statuses {string.Join(' ', figures.Statuses.Select(s => $"{s.Key}:{s.Value}"))} (load average before: {load})"));
        if (tiers is not null)
        {
            // What answered the measured calls, from the node's own counters: a Redis timeout falls back to the store silently.
            Console.WriteLine($"  answered by: {(await TierReading.ReadAsync(_http, cancellationToken)).Since(tiers)}");
        }

        if (figures.FirstError is { } first)
        {
            Console.WriteLine($"  first error: {first}");
        }

        return figures;
    }

    private Operation Operation(string scenario)
    {
        var resolution = new Contracts.V1.Resolution.ResolutionClient(_channel);
        var registry = new Registry.RegistryClient(_channel);
        var randoms = new ThreadLocal<Random>(() => new Random(Environment.CurrentManagedThreadId));
        return scenario switch
        {
            "ceiling-grpc" => (_, _, ct) => GrpcAsync(async () =>
            {
                await new Contracts.V1.Resolution.ResolutionClient(Ceiling().Channel).PingAsync(new PingRequest(), cancellationToken: ct);
                return 1;
            }),
            "ceiling-http-get" => (_, _, ct) => HttpAsync(Ceiling().Http, "/v1/ping", HttpStatusCode.OK, ct),
            "ceiling-http-302" => (_, _, ct) => HttpAsync(Ceiling().Http, "/v1/ping/redirect", HttpStatusCode.Found, ct),
            "baseline-grpc" => (_, _, ct) => GrpcAsync(async () => { await resolution.PingAsync(new PingRequest(), cancellationToken: ct); return 1; }),
            "baseline-http-get" => (_, _, ct) => HttpAsync("/v1/ping", HttpStatusCode.OK, ct),
            "baseline-http-302" => (_, _, ct) => HttpAsync("/v1/ping/redirect", HttpStatusCode.Found, ct),
            "resolve-hot" => (_, _, ct) => GrpcAsync(async () => { await resolution.ResolveAsync(new ResolveRequest { Handle = _dataset.Draw(randoms.Value!) }, cancellationToken: ct); return 1; }),
            // The same call as resolve-hot; what differs is the node: its in-process tier off, so Redis answers.
            "resolve-redis" => (_, _, ct) => GrpcAsync(async () => { await resolution.ResolveAsync(new ResolveRequest { Handle = _dataset.Draw(randoms.Value!) }, cancellationToken: ct); return 1; }),
            "resolve-cold" => (_, _, ct) => GrpcAsync(async () => { await resolution.ResolveAsync(new ResolveRequest { Handle = _dataset.DrawUniform(randoms.Value!) }, cancellationToken: ct); return 1; }),
            "federation" when _foreign is { } foreign => (_, _, ct) => GrpcAsync(async () =>
            {
                // A referral (303) instead of the record would mean the node did not follow it: not a resolution.
                var reply = await resolution.ResolveAsync(new ResolveRequest { Handle = foreign.Draw(randoms.Value!) }, cancellationToken: ct);
                return reply.ResponseCode == 1 ? 1 : throw new InvalidOperationException($"{reply.Handle}: response code {reply.ResponseCode}");
            }),
            "resolve-http" => (_, _, ct) => HttpAsync("/v1/handles/" + _dataset.Draw(randoms.Value!), HttpStatusCode.OK, ct),
            "redirect" => (_, _, ct) => HttpAsync("/" + _dataset.Draw(randoms.Value!), HttpStatusCode.Found, ct),
            "resolve-batch-100" => (_, _, ct) => BatchAsync(resolution, 100, randoms.Value!, ct),
            "resolve-batch-1000" => (_, _, ct) => BatchAsync(resolution, 1000, randoms.Value!, ct),
            "register" => (worker, sequence, ct) => GrpcAsync(async () =>
            {
                await registry.CreateHandleAsync(Dataset.Create($"88.709.299/R{_run}-{worker}-{sequence}", sequence), _auth, cancellationToken: ct);
                return 1;
            }),
            "register-batch" => (worker, sequence, ct) => GrpcAsync(async () =>
            {
                var batch = new BatchCreateRequest();
                for (var i = 0; i < 2000; i++)
                {
                    batch.Items.Add(Dataset.Create($"88.709.298/B{_run}-{worker}-{sequence}-{i}", i));
                }

                var reply = await registry.BatchCreateAsync(batch, _auth, cancellationToken: ct);
                return reply.Failed == 0 ? (int)reply.Succeeded : throw new InvalidOperationException($"{reply.Failed} of 2000 creates failed");
            }),
            "mixed" => (worker, sequence, ct) => sequence % 20 == 19
                ? GrpcAsync(async () => { await registry.CreateHandleAsync(Dataset.Create($"88.709.297/M{_run}-{worker}-{sequence}", sequence), _auth, cancellationToken: ct); return 1; })
                : GrpcAsync(async () => { await resolution.ResolveAsync(new ResolveRequest { Handle = _dataset.Draw(randoms.Value!) }, cancellationToken: ct); return 1; }),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "no such scenario"),
        };
    }

    private async Task<OperationResult> BatchAsync(Contracts.V1.Resolution.ResolutionClient resolution, int size, Random random, CancellationToken cancellationToken)
    {
        var request = new ResolveBatchRequest();
        for (var i = 0; i < size; i++)
        {
            request.Handles.Add(_dataset.Draw(random));
        }

        return await GrpcAsync(async () =>
        {
            var reply = await resolution.ResolveBatchAsync(request, cancellationToken: cancellationToken);
            var failed = reply.Results.FirstOrDefault(r => r.ResponseCode != 1);
            return failed is null ? reply.Results.Count : throw new InvalidOperationException($"{failed.Handle}: {failed.ResponseCode} {failed.Message}");
        });
    }

    private static async Task<OperationResult> GrpcAsync(Func<Task<int>> call)
    {
        try
        {
            return new OperationResult("OK", true, await call());
        }
        catch (RpcException exception)
        {
            return new OperationResult(exception.StatusCode.ToString(), false, 0, exception.Status.Detail);
        }
    }

    /// <summary>The bare app (loadtests/IdResolution.MinimalApp, built beside the harness) on spare loopback ports of its own.</summary>
    private static async Task<NodeProcessRun> StartCeilingAsync(CancellationToken cancellationToken)
    {
        var assembly = HierarchyPlan.BuiltAssembly(HierarchyPlan.Repository(), Path.Combine("loadtests", "IdResolution.MinimalApp"), "IdResolution.MinimalApp");
        var ports = HierarchyPlan.SparePorts(2);
        var directory = Directory.CreateTempSubdirectory("idres-load-ceiling-").FullName;
        var plan = new PlannedNode("ceiling", string.Empty, null, ports[0], ports[1], directory,
            [ports[0].ToString(CultureInfo.InvariantCulture), ports[1].ToString(CultureInfo.InvariantCulture)]);
        var app = await NodeProcessRun.StartAsync(assembly, plan, TimeSpan.FromSeconds(60), cancellationToken, signIn: false);
        Console.WriteLine($"ceiling app ready: HTTP {plan.Http}, gRPC {plan.Grpc}");
        return app;
    }

    private NodeProcessRun Ceiling() => _ceiling ?? throw new InvalidOperationException("the ceiling app runs only with --ceiling");

    private Task<OperationResult> HttpAsync(string path, HttpStatusCode expected, CancellationToken cancellationToken) =>
        HttpAsync(_http, path, expected, cancellationToken);

    private static async Task<OperationResult> HttpAsync(HttpClient http, string path, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        return new OperationResult(status, response.StatusCode == expected, 1, response.StatusCode == expected ? null : $"GET {path}: {status}");
    }

    private async Task SignInAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(_options.Password))
        {
            return;
        }

        _auth = await AdministratorSignIn.SignInAsync(_http, _options.Password, cancellationToken);
    }
}
