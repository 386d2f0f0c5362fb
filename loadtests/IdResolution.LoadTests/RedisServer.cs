using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace IdResolution.LoadTests;

/// <summary>
/// A redis-server child process on a spare loopback port, holding nothing on disk, for the length
/// of one run. It is killed on disposal, so that a failed run leaves no server behind.
/// </summary>
internal sealed class RedisServer : IDisposable
{
    private const string Executable = "redis-server";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private RedisServer(Process process, ConcurrentQueue<string> output, int port, string path)
    {
        _process = process;
        _output = output;
        Port = port;
        Path = path;
    }

    public int Port { get; }

    public string Path { get; }

    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    public int ProcessId => _process.Id;

    /// <summary>The redis-server on PATH, else Debian's; null when there is none.</summary>
    public static string? Locate()
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return directories.Append("/usr/bin")
            .Select(directory => System.IO.Path.Combine(directory, Executable))
            .FirstOrDefault(File.Exists);
    }

    public static async Task<RedisServer> StartAsync(string path, string directory, TimeSpan deadline, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var port = SparePort();
        var start = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };

        // No persistence: the data set is rebuilt each run, and a snapshot write would land inside a measurement.
        string[] arguments = ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory, "--daemonize", "no"];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var output = new ConcurrentQueue<string>();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{path} did not start");
        process.OutputDataReceived += (_, line) => Keep(output, line.Data);
        process.ErrorDataReceived += (_, line) => Keep(output, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, output, port, path);
        try
        {
            await server.WaitUntilAnsweringAsync(deadline, cancellationToken);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        _process.Dispose();
    }

    // The port is released just before redis-server binds it; if another process takes it in between, startup fails and says so.
    private static int SparePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 40 && output.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan deadline, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await RespProbe.PingAsync(Port, cancellationToken))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} before answering:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}");
            }

            if (Stopwatch.GetElapsedTime(started) > deadline)
            {
                throw new TimeoutException($"redis-server did not answer PING on {Endpoint} within {deadline.TotalSeconds:F0} s:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
