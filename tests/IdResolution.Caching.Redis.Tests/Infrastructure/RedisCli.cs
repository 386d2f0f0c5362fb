using System.ComponentModel;
using System.Diagnostics;

namespace IdResolution.Caching.Redis.Tests.Infrastructure;

/// <summary>
/// Runs Debian's redis-cli, for what only it does well (<c>--cluster create</c>); single commands go
/// through <see cref="RedisServer.CommandAsync"/> instead.
/// </summary>
internal static class RedisCli
{
    public static async Task<string> RunAsync(TimeSpan within, params string[] arguments)
    {
        var start = new ProcessStartInfo("redis-cli")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-cli");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("redis-cli is not on PATH; tests/run.sh installs Debian's redis-server, which brings it", e);
        }

        using (process)
        {
            // Closed at once so that a prompt (there should be none with --cluster-yes) fails instead of hanging.
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(within);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new TimeoutException($"redis-cli {string.Join(' ', arguments)} did not finish within {within}:{Environment.NewLine}{await stdout}{await stderr}");
            }

            var output = await stdout + await stderr;
            return process.ExitCode == 0
                ? output
                : throw new InvalidOperationException($"redis-cli {string.Join(' ', arguments)} exited with {process.ExitCode}:{Environment.NewLine}{output}");
        }
    }
}
