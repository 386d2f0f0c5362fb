using System.Diagnostics;

namespace IdResolution.Node.Tests.Infrastructure;

/// <summary>A command-line tool run to its end (or killed at a deadline), its output kept for the assertion message.</summary>
public static class ExternalTool
{
    public static async Task<ToolRun> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan deadline,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + program);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {deadline}");
        }

        return new ToolRun(process.ExitCode, await output, await errors);
    }

    /// <summary>The program's full path on PATH, or null: a test that needs it skips and says why.</summary>
    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}

/// <summary>How a tool ended: its exit code and what it wrote to standard output and standard error.</summary>
public sealed record ToolRun(int ExitCode, string Output, string Errors)
{
    public string Text => Output + Errors;
}
