using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace IdResolution.Caching.Redis.Tests.Infrastructure;

/// <summary>
/// One real redis-server child process on a spare 127.0.0.1 port, in a fresh directory of its own,
/// persisting nothing. Started by <see cref="StartAsync(string[])"/>, which is also the way to get a
/// throwaway server for a single test (<c>await using var redis = await RedisServer.StartAsync();</c>);
/// tests that kill or restart redis need one of those rather than a shared fixture's.
/// Not thread-safe for start, stop and restart; commands may be issued concurrently.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    /// <summary>
    /// Fixed rather than <see cref="Path.GetTempPath"/>: tests/run.sh finds servers left behind by a
    /// crashed test host, and their directories, by this prefix.
    /// </summary>
    public const string DirectoryPrefix = "/tmp/idres-redis-";

    private const int StartAttempts = 3;
    private const int KeptLogLines = 1000;
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    private readonly IReadOnlyList<string> _extraArguments;
    private readonly Queue<string> _log = new();
    private Process? _process;

    private RedisServer(int port, string directory, IReadOnlyList<string> extraArguments)
    {
        Port = port;
        DataDirectory = directory;
        _extraArguments = extraArguments;
    }

    public int Port { get; }

    /// <summary>"127.0.0.1:port", as client configuration strings take it.</summary>
    public string EndPoint => $"127.0.0.1:{Port}";

    /// <summary>The server's working directory (its --dir), removed on dispose.</summary>
    public string DataDirectory { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The operating-system id of the current redis-server process.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("never started");

    /// <summary>What redis printed, across restarts (the last lines only), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join(Environment.NewLine, _log);
            }
        }
    }

    /// <summary>
    /// Starts a server and returns once it answers PING. <paramref name="extraArguments"/> follow
    /// the fixed ones, so they may override them (e.g. "--maxmemory", "1mb").
    /// </summary>
    public static Task<RedisServer> StartAsync(params string[] extraArguments) => StartAsync(() => extraArguments);

    /// <summary>A master of a redis cluster, its bus on a spare port of its own rather than port + 10000.</summary>
    internal static Task<RedisServer> StartClusterNodeAsync() => StartAsync(() =>
    [
        "--cluster-enabled", "yes",
        "--cluster-config-file", "nodes.conf",
        "--cluster-node-timeout", "2000",
        "--cluster-port", LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
    ]);

    private static async Task<RedisServer> StartAsync(Func<IReadOnlyList<string>> extraArguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            var directory = DirectoryPrefix + Guid.NewGuid().ToString("N");
            Directory.CreateDirectory(directory);
            var server = new RedisServer(LoopbackPort.Free(), directory, extraArguments());
            try
            {
                if (await server.LaunchAsync())
                {
                    return server;
                }

                if (attempt == StartAttempts)
                {
                    throw new InvalidOperationException($"redis-server lost the race for a spare port {StartAttempts} times:{Environment.NewLine}{server.Log}");
                }
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }

            await server.DisposeAsync();
        }
    }

    /// <summary>SIGKILL, then waits for the process to be gone: nothing is flushed, clients see a reset.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }

        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SHUTDOWN NOSAVE and waits for the exit; kills the process if it does not go in time.</summary>
    public async Task StopAsync()
    {
        if (!IsRunning)
        {
            return;
        }

        try
        {
            await ExecuteAsync("SHUTDOWN", "NOSAVE");
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // Redis closes the connection instead of answering a shutdown that succeeded.
        }

        using var timeout = new CancellationTokenSource(ReadyWithin);
        try
        {
            await _process!.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    /// <summary>
    /// Starts redis again on the same port and directory, with the same arguments, and waits for
    /// PING; a server still running is killed first. Data is gone (nothing is persisted) except a
    /// cluster node's nodes.conf, so a node rejoins its cluster.
    /// </summary>
    public async Task RestartAsync()
    {
        if (IsRunning)
        {
            await KillAsync();
        }

        Record("--- restart ---");
        if (!await LaunchAsync())
        {
            throw new InvalidOperationException($"port {Port} was taken by another process while redis was down:{Environment.NewLine}{Log}");
        }
    }

    /// <summary>One command on a connection of its own, the raw reply as <see cref="RespConnection"/> describes.</summary>
    public async Task<object?> ExecuteAsync(params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        using var connection = await RespConnection.OpenAsync(Port, timeout.Token);
        await connection.SendAsync(arguments, timeout.Token);
        return await connection.ReadReplyAsync(timeout.Token);
    }

    /// <summary>One command, the reply as text (bulk strings as UTF-8, array items one per line); errors throw.</summary>
    public async Task<string?> CommandAsync(params string[] arguments) => RespReply.ToText(await ExecuteAsync(arguments));

    /// <summary>One command whose reply is an integer (DBSIZE, PTTL, EXISTS, ...).</summary>
    public async Task<long> IntegerAsync(params string[] arguments) =>
        await ExecuteAsync(arguments) is long value ? value : throw new InvalidDataException($"{arguments[0]} did not answer an integer");

    public async Task<byte[]?> GetBytesAsync(string key) => (byte[]?)await ExecuteAsync("GET", key);

    public Task<long> DbSizeAsync() => IntegerAsync("DBSIZE");

    /// <summary>Milliseconds to live; -1 for a key without expiry, -2 for a missing key.</summary>
    public Task<long> PttlAsync(string key) => IntegerAsync("PTTL", key);

    public async Task<IReadOnlyDictionary<string, string>> InfoAsync(string section) =>
        RespReply.ToFields(await CommandAsync("INFO", section));

    /// <summary>
    /// How often <paramref name="command"/> ran since start or the last <see cref="ResetStatsAsync"/>
    /// (INFO commandstats' calls=); 0 if it never ran. Subcommands read as "config|get".
    /// </summary>
    public async Task<long> GetCommandCallsAsync(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var stats = await InfoAsync("commandstats");
        if (!stats.TryGetValue("cmdstat_" + command.ToLowerInvariant(), out var line))
        {
            return 0;
        }

        var calls = line.Split(',').Single(part => part.StartsWith("calls=", StringComparison.Ordinal));
        return long.Parse(calls["calls=".Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>CONFIG RESETSTAT: command counters start again from zero.</summary>
    public Task ResetStatsAsync() => CommandAsync("CONFIG", "RESETSTAT");

    public Task FlushAllAsync() => CommandAsync("FLUSHALL");

    /// <summary>
    /// Blocks the whole server for <paramref name="duration"/> (DEBUG SLEEP). Returns once the
    /// command is in the server's hands, so anything sent after that waits behind it; the returned
    /// inner task completes when the server answers, i.e. when the sleep is over.
    /// </summary>
    public async Task<Task> StartDebugSleepAsync(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var connection = await RespConnection.OpenAsync(Port, timeout.Token);
        try
        {
            // Once PING is answered the server has accepted and registered this connection, so the
            // DEBUG SLEEP written next is ahead of anything a test sends after this method returns.
            await connection.SendAsync(["PING"], timeout.Token);
            await connection.ReadReplyAsync(timeout.Token);
            await connection.SendAsync(["DEBUG", "SLEEP", seconds], timeout.Token);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return AwaitSleepEndAsync(connection, duration + CommandTimeout);
    }

    /// <summary>DEBUG SLEEP from start to end; start it without awaiting to have the server busy meanwhile.</summary>
    public async Task DebugSleepAsync(TimeSpan duration) => await await StartDebugSleepAsync(duration);

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            await KillAsync();
        }

        _process?.Dispose();
        _process = null;
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Never created or already removed.
        }
        catch (IOException)
        {
            // Something still writes there; tests/run.sh removes it after the run.
        }
    }

    private static async Task AwaitSleepEndAsync(RespConnection connection, TimeSpan within)
    {
        using (connection)
        {
            using var timeout = new CancellationTokenSource(within);
            await connection.ReadReplyAsync(timeout.Token);
        }
    }

    /// <summary>True once redis answers PING; false if it exited because its port was taken.</summary>
    private async Task<bool> LaunchAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDirectory,
        };
        string[] fixedArguments =
        [
            "--bind", "127.0.0.1",
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--save", string.Empty,
            "--appendonly", "no",
            "--enable-debug-command", "local",
            "--dir", DataDirectory,
            "--daemonize", "no",
            // Redis otherwise rewrites its command line to "redis-server 127.0.0.1:port", hiding the
            // --dir that tests/run.sh looks for.
            "--set-proc-title", "no",
        ];
        foreach (var argument in fixedArguments.Concat(_extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        _process?.Dispose();
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not on PATH; tests/run.sh installs Debian's redis-server", e);
        }

        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        return await WaitReadyAsync(_process);
    }

    private async Task<bool> WaitReadyAsync(Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                // Also waits for the last of its output.
                await process.WaitForExitAsync();
                return Log.Contains("Address already in use", StringComparison.Ordinal)
                    ? false
                    : throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} before answering PING:{Environment.NewLine}{Log}");
            }

            if (await AnswersAsItselfAsync(process.Id))
            {
                return true;
            }

            if (deadline.Elapsed > ReadyWithin)
            {
                await KillAsync();
                throw new TimeoutException($"redis-server did not answer PING on {EndPoint} within {ReadyWithin}:{Environment.NewLine}{Log}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>PING answered, and by this process rather than another redis that got the port.</summary>
    private async Task<bool> AnswersAsItselfAsync(int processId)
    {
        try
        {
            return await CommandAsync("PING") == "PONG"
                && (await InfoAsync("server")).GetValueOrDefault("process_id") == processId.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or RedisErrorReplyException)
        {
            return false;
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Enqueue(line);
            if (_log.Count > KeptLogLines)
            {
                _log.Dequeue();
            }
        }
    }
}
