using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace IdResolution.Node.Tests.Infrastructure;

/// <summary>
/// The node as a real operating-system process (the built IdResolution.Node.dll under `dotnet`),
/// on spare loopback ports, for crash and restart tests.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly X509Certificate2? _serverCertificate;
    private string _dataPath = string.Empty;
    private bool _configureAdministrator;
    private string[] _arguments = [];
    private IReadOnlyDictionary<string, string>? _environment;

    private NodeProcess(Process process, int httpPort, int grpcPort, X509Certificate2? serverCertificate)
    {
        _process = process;
        HttpPort = httpPort;
        GrpcPort = grpcPort;
        _serverCertificate = serverCertificate;
        var scheme = serverCertificate is null ? "http" : "https";
        AnonymousChannel = GrpcChannel.ForAddress($"{scheme}://127.0.0.1:{grpcPort}", new GrpcChannelOptions { HttpHandler = Handler() });
        Http = new HttpClient(Handler()) { BaseAddress = new Uri($"{scheme}://127.0.0.1:{httpPort}") };
    }

    /// <summary>Authenticated as the node's first administrator once the node is ready.</summary>
    public GrpcChannel Channel { get; private set; } = null!;

    public GrpcChannel AnonymousChannel { get; }

    public string AdminToken { get; private set; } = string.Empty;

    public int HttpPort { get; }

    public int GrpcPort { get; }

    public HttpClient Http { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    /// <summary>The operating-system process id, e.g. for /proc/&lt;pid&gt;/status.</summary>
    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public static Task<NodeProcess> StartAsync(string dataPath, TimeSpan readyWithin, params string[] settings) =>
        StartAsync(dataPath, readyWithin, (X509Certificate2?)null, settings);

    /// <summary>
    /// Starts the node with extra command-line <paramref name="arguments"/>. Given the node's TLS
    /// <paramref name="serverCertificate"/>, its clients speak HTTPS and trust exactly that certificate.
    /// </summary>
    public static Task<NodeProcess> StartAsync(string dataPath, TimeSpan readyWithin, X509Certificate2? serverCertificate, params string[] arguments) =>
        StartAsync(dataPath, readyWithin, serverCertificate, configureAdministrator: true, arguments, environment: null);

    /// <summary>Starts the node with extra variables in its <paramref name="environment"/> (e.g. LD_PRELOAD) as well as arguments.</summary>
    public static Task<NodeProcess> StartAsync(string dataPath, TimeSpan readyWithin, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartAsync(dataPath, readyWithin, null, configureAdministrator: true, arguments, environment);

    /// <summary>
    /// Starts the node on the given ports (from <see cref="SparePort"/>), e.g. to restart a node where the other
    /// nodes of a hierarchy expect it, or to advertise its endpoints before it runs.
    /// </summary>
    public static Task<NodeProcess> StartOnPortsAsync(string dataPath, int httpPort, int grpcPort, TimeSpan readyWithin, params string[] arguments) =>
        StartAsync(dataPath, readyWithin, null, configureAdministrator: true, arguments, environment: null, (httpPort, grpcPort));

    /// <summary>Starts a node as a fresh install is started: no administrator configured, so it generates one.</summary>
    public static Task<NodeProcess> StartUnconfiguredAsync(string dataPath, TimeSpan readyWithin) =>
        StartAsync(dataPath, readyWithin, null, configureAdministrator: false, [$"--Security:Tokens:KeyRingPath={Path.Combine(dataPath, "keys", "signing-keys.json")}"], environment: null);

    /// <summary>
    /// Starts the node again over the same data, ports and settings once this process is gone (killed), as a
    /// machine that comes back does: another node configured with its address finds it where it was.
    /// </summary>
    public Task<NodeProcess> StartAgainAsync(TimeSpan readyWithin) =>
        HasExited ? StartAsync(_dataPath, readyWithin, _serverCertificate, _configureAdministrator, _arguments, _environment, (HttpPort, GrpcPort))
            : throw new InvalidOperationException("the node is still running; kill it first");

    private static Task<NodeProcess> StartAsync(string dataPath, TimeSpan readyWithin, X509Certificate2? serverCertificate, bool configureAdministrator, string[] arguments,
        IReadOnlyDictionary<string, string>? environment) =>
        StartAsync(dataPath, readyWithin, serverCertificate, configureAdministrator, arguments, environment, (SparePort(), SparePort()));

    private static async Task<NodeProcess> StartAsync(string dataPath, TimeSpan readyWithin, X509Certificate2? serverCertificate, bool configureAdministrator, string[] arguments,
        IReadOnlyDictionary<string, string>? environment, (int Http, int Grpc) ports)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var (http, grpc) = ports;
        var start = StartInfo(dataPath, http, grpc, configureAdministrator, arguments);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the node process");
        var node = new NodeProcess(process, http, grpc, serverCertificate)
        {
            _dataPath = dataPath,
            _configureAdministrator = configureAdministrator,
            _arguments = arguments,
            _environment = environment,
        };
        process.OutputDataReceived += (_, e) => node.Record(e.Data);
        process.ErrorDataReceived += (_, e) => node.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await node.WaitReadyAsync(readyWithin);
        if (configureAdministrator)
        {
            node.AdminToken = await Tokens.GetAsync(node.Http, Tokens.AdministratorName, Tokens.AdministratorPassword);
            node.Channel = node.ChannelFor(node.AdminToken);
        }

        return node;
    }

    public GrpcChannel ChannelFor(string token) => GrpcChannel.ForAddress(
        $"{(_serverCertificate is null ? "http" : "https")}://127.0.0.1:{GrpcPort}",
        new GrpcChannelOptions { HttpHandler = new BearerHandler(token, Handler()) });

    private HttpMessageHandler Handler() => _serverCertificate is null ? new SocketsHttpHandler() : Trusting(_serverCertificate);

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what survives is what was durable.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGSTOP: the process hangs (a frozen machine), its sockets open and nothing answered or sent until <see cref="ThawAsync"/>.</summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT: a frozen process runs on from where it stopped.</summary>
    public Task ThawAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        var run = await ExternalTool.RunAsync("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            Path.GetTempPath(), TimeSpan.FromSeconds(10));
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed: {run.Text}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        Channel?.Dispose();
        AnonymousChannel.Dispose();
        Http.Dispose();
        _process.Dispose();
    }

    private async Task WaitReadyAsync(TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the node exited with code {_process.ExitCode} before it was ready:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await Http.GetAsync("/readyz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the node was not ready within {within}:{Environment.NewLine}{Output}");
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    /// <summary>
    /// Runs a node that is expected not to start (a setting it must refuse) and returns how it ended:
    /// its exit code and everything it wrote.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(string dataPath, TimeSpan within, params string[] arguments)
    {
        var start = StartInfo(dataPath, SparePort(), SparePort(), configureAdministrator: true, arguments);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the node process");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the node was still running after {within.TotalSeconds} s: {await output}{await errors}");
        }

        return (process.ExitCode, await output + await errors);
    }

    /// <summary>Runs the node program as an operator's command (e.g. <c>restore --from … --to …</c>) to its end.</summary>
    public static Task<ToolRun> RunCommandAsync(TimeSpan within, params string[] arguments) =>
        ExternalTool.RunAsync("dotnet", [NodeAssembly(), .. arguments], Path.GetTempPath(), within);

    private static ProcessStartInfo StartInfo(string dataPath, int http, int grpc, bool configureAdministrator, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(NodeAssembly());
        start.ArgumentList.Add($"--Node:HttpPort={http}");
        start.ArgumentList.Add($"--Node:GrpcPort={grpc}");
        start.ArgumentList.Add("--Node:BindAddress=127.0.0.1");
        foreach (var (key, value) in configureAdministrator ? Tokens.NodeSettings(dataPath) : [])
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Through the IDRES__ environment prefix, the way operators configure the node.
        start.Environment["IDRES__Store__Path"] = Path.Combine(dataPath, "store");
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.WorkingDirectory = dataPath;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return start;
    }

    private static SocketsHttpHandler Trusting(X509Certificate2 serverCertificate)
    {
        var handler = new SocketsHttpHandler();
        var expected = serverCertificate.GetCertHashString(HashAlgorithmName.SHA256);
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
            presented is not null && presented.GetCertHashString(HashAlgorithmName.SHA256) == expected;
        return handler;
    }

    /// <summary>A loopback port no one listens on now.</summary>
    public static int SparePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The node's own build output, found from this test assembly's place in the repository.</summary>
    private static string NodeAssembly()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = testBin.Name;
        var configuration = testBin.Parent!.Name;
        var path = Path.Combine(Repository.Root, "src", "IdResolution.Node", "bin", configuration, framework, "IdResolution.Node.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("the node is not built", path);
    }
}
