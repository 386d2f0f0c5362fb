using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;

namespace IdResolution.LoadTests.Harness;

/// <summary>
/// One node the harness started as a real process (the built IdResolution.Node.dll under <c>dotnet</c>), in its
/// planned directory on its planned ports, signed in as the administrator the node generated for itself (read from
/// the file it wrote, so no password goes on a command line). Disposing kills it and removes its directory.
/// </summary>
internal sealed class NodeProcessRun : IAsyncDisposable
{
    /// <summary>The last lines the node wrote, shown when it fails to start.</summary>
    private const int KeptLines = 40;

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private NodeProcessRun(PlannedNode node, Process process)
    {
        Node = node;
        _process = process;
        // Redirects are answers to measure (the 302 no-ops), never followed.
        Http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = 256 }) { BaseAddress = node.Http };
        // As the harness's own channel to a node: several HTTP/2 connections when one's streams are all in use.
        Channel = GrpcChannel.ForAddress(node.Grpc, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
    }

    public PlannedNode Node { get; }

    public HttpClient Http { get; }

    public GrpcChannel Channel { get; }

    /// <summary>The administrator's bearer token, as call metadata.</summary>
    public Metadata Auth { get; private set; } = [];

    /// <summary>The generated administrator's password, for the scenario runner's own sign-in.</summary>
    public string Password { get; private set; } = string.Empty;

    /// <summary>Starts <paramref name="assembly"/> with the node's arguments; <paramref name="signIn"/> false for a process without accounts (the ceiling app).</summary>
    public static async Task<NodeProcessRun> StartAsync(string assembly, PlannedNode node, TimeSpan readyWithin, CancellationToken cancellationToken, bool signIn = true)
    {
        Directory.CreateDirectory(node.Directory);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = node.Directory,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in node.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {node.Name}");
        var run = new NodeProcessRun(node, process);
        process.OutputDataReceived += (_, e) => run.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => run.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await run.WaitReadyAsync(readyWithin, cancellationToken);
            if (signIn)
            {
                await run.SignInAsync(cancellationToken);
            }

            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    /// <summary>The node's resident set as /proc reports it (VmRSS), or -1 where there is no /proc.</summary>
    public long ResidentKilobytes()
    {
        var status = $"/proc/{_process.Id}/status";
        var line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)) : null;
        return line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture, out var kilobytes) ? kilobytes : -1;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
        Channel.Dispose();
        Http.Dispose();
        try
        {
            Directory.Delete(Node.Directory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not remove {Node.Directory}: {exception.Message}");
        }
    }

    private async Task WaitReadyAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Node.Name} exited with code {_process.ExitCode} before it was ready:{Environment.NewLine}{Output()}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri("/readyz", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new InvalidOperationException($"{Node.Name} was not ready within {within.TotalSeconds:0} s:{Environment.NewLine}{Output()}");
    }

    private async Task SignInAsync(CancellationToken cancellationToken)
    {
        Password = (await File.ReadAllTextAsync(Path.Combine(Node.Directory, "keys", "initial-administrator-password"), cancellationToken)).Trim();
        Auth = await AdministratorSignIn.SignInAsync(Http, Password, cancellationToken);
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output);
        }
    }
}
