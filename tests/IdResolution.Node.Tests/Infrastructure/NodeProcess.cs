using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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

    private NodeProcess(Process process, int httpPort, int grpcPort)
    {
        _process = process;
        HttpPort = httpPort;
        GrpcPort = grpcPort;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    }

    public int HttpPort { get; }

    public int GrpcPort { get; }

    public GrpcChannel Channel { get; }

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

    /// <summary>Starts the node; <paramref name="settings"/> are extra command-line settings such as <c>--RateLimits:Enabled=false</c>.</summary>
    public static async Task<NodeProcess> StartAsync(string dataPath, TimeSpan readyWithin, params string[] settings)
    {
        var http = FreePort();
        var grpc = FreePort();
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
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        // Through the IDRES__ environment prefix, the way operators configure the node.
        start.Environment["IDRES__Store__Path"] = dataPath;
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the node process");
        var node = new NodeProcess(process, http, grpc);
        process.OutputDataReceived += (_, e) => node.Record(e.Data);
        process.ErrorDataReceived += (_, e) => node.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await node.WaitReadyAsync(readyWithin);
        return node;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what survives is what was durable.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        Channel.Dispose();
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

    private static int FreePort()
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
        var root = testBin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "IdResolution.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
        }

        var path = Path.Combine(root.FullName, "src", "IdResolution.Node", "bin", configuration, framework, "IdResolution.Node.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("the node is not built", path);
    }
}
