using System.Diagnostics;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Cli.Tests.Infrastructure;

/// <summary>What one run of idres did: its exit code and everything it wrote.</summary>
public sealed record IdresResult(int ExitCode, string Output, string Errors)
{
    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout: {Output}{Environment.NewLine}stderr: {Errors}";
}

/// <summary>
/// Runs the built command line (IdResolution.Cli.dll under `dotnet`) as its own process, as an operator does,
/// against one node, with its own config directory so tests never touch the user's.
/// </summary>
public sealed class Idres(string configDirectory, string grpc, string http)
{
    public string ConfigDirectory { get; } = configDirectory;

    public static Idres For(NodeProcess node, string configDirectory)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new Idres(configDirectory, $"http://127.0.0.1:{node.GrpcPort}", $"http://127.0.0.1:{node.HttpPort}");
    }

    /// <summary>The same endpoints with a token in the environment, as a script would pass one.</summary>
    public string? Token { get; init; }

    public Task<IdresResult> RunAsync(params string[] arguments) => RunAsync(null, TimeSpan.FromMinutes(3), arguments);

    public async Task<IdresResult> RunAsync(string? input, TimeSpan within, params string[] arguments)
    {
        using var process = Start(arguments);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
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
            throw new TimeoutException($"idres {string.Join(' ', arguments)} was still running after {within}: {await output}{await errors}");
        }

        return new IdresResult(process.ExitCode, (await output).Trim(), (await errors).Trim());
    }

    /// <summary>Starts idres and leaves it running, for tests that signal or kill it; its output is redirected.</summary>
    public Process Start(params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliAssembly());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["IDRES_CONFIG_DIR"] = ConfigDirectory;
        start.Environment["IDRES_GRPC"] = grpc;
        start.Environment["IDRES_HTTP"] = http;
        start.Environment.Remove("IDRES_PROFILE");
        start.Environment.Remove("IDRES_PASSWORD");
        start.Environment.Remove("IDRES_CA_CERT");
        if (Token is not null)
        {
            start.Environment["IDRES_TOKEN"] = Token;
        }
        else
        {
            start.Environment.Remove("IDRES_TOKEN");
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        return Process.Start(start) ?? throw new InvalidOperationException("could not start idres");
    }

    /// <summary>The command line's own build output, found from this test assembly's place in the repository.</summary>
    private static string CliAssembly()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        var path = Path.Combine(Repository.Root, "src", "IdResolution.Cli", "bin", testBin.Parent!.Name, testBin.Name, "IdResolution.Cli.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("the command line is not built", path);
    }
}
