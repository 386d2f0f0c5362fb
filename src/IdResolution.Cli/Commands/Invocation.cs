using System.CommandLine;
using System.Runtime.InteropServices;
using Grpc.Core;
using IdResolution.Cli.Connection;
using IdResolution.Cli.Output;

namespace IdResolution.Cli.Commands;

/// <summary>
/// One run of a command: its parsed command line, where its output goes, the node connection (made on first
/// use, from flags, environment and profile) and the stop signal. Ctrl-C and SIGTERM request a stop; a
/// second Ctrl-C ends the process at once.
/// </summary>
internal sealed class Invocation : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<PosixSignalRegistration> _signals = [];
    private NodeConnection? _node;
    private ConnectionSettings? _settings;

    private Invocation(ParseResult parse)
    {
        Parse = parse;
        Terminal = new Terminal(parse.GetValue(GlobalOptions.Json));
        Config = ConfigFile.ForUser();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            _signals.Add(PosixSignalRegistration.Create(signal, context =>
            {
                if (!_stop.IsCancellationRequested)
                {
                    context.Cancel = true;
                    _stop.Cancel();
                }
            }));
        }
    }

    public ParseResult Parse { get; }

    public Terminal Terminal { get; }

    public ConfigFile Config { get; }

    public CancellationToken Stop => _stop.Token;

    public ConnectionSettings Settings => _settings ??= ConnectionSettings.Resolve(Flags(), Config);

    /// <summary>The settings for login, which may name a profile that does not exist yet (it creates it).</summary>
    public ConnectionSettings SettingsForNewProfile() => _settings ??= ConnectionSettings.Resolve(Flags(), Config, creatingProfile: true);

    private ConnectionFlags Flags() => new(
        Parse.GetValue(GlobalOptions.Profile), Parse.GetValue(GlobalOptions.Grpc), Parse.GetValue(GlobalOptions.Http),
        Parse.GetValue(GlobalOptions.CaCertificate), Parse.GetValue(GlobalOptions.Token), TimeSpan.FromSeconds(Parse.GetValue(GlobalOptions.Timeout)));

    public NodeConnection Node => _node ??= new NodeConnection(Settings);

    public CallOptions Call() => Node.Call(Stop);

    public T Get<T>(Option<T> option) => Parse.GetValue(option)!;

    public T Get<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    /// <summary>Gives <paramref name="command"/> an action that runs <paramref name="body"/> and turns every failure into its exit code.</summary>
    public static void Bind(Command command, Func<Invocation, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction((parse, _) => RunAsync(parse, body));
    }

    private static async Task<int> RunAsync(ParseResult parse, Func<Invocation, Task<int>> body)
    {
        using var invocation = new Invocation(parse);
        try
        {
            return await body(invocation);
        }
        catch (CliFailure failure)
        {
            invocation.Terminal.Fail(failure);
            return failure.ExitCode;
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.Cancelled && invocation.Stop.IsCancellationRequested)
        {
            invocation.Terminal.Fail(new CliFailure(ExitCodes.Interrupted, "interrupted"));
            return ExitCodes.Interrupted;
        }
        catch (RpcException error)
        {
            var failure = RpcErrors.Translate(error, invocation.Settings.Grpc);
            invocation.Terminal.Fail(failure);
            return failure.ExitCode;
        }
        catch (OperationCanceledException) when (invocation.Stop.IsCancellationRequested)
        {
            invocation.Terminal.Fail(new CliFailure(ExitCodes.Interrupted, "interrupted"));
            return ExitCodes.Interrupted;
        }
        catch (IOException io)
        {
            var failure = new CliFailure(ExitCodes.Usage, io.Message);
            invocation.Terminal.Fail(failure);
            return failure.ExitCode;
        }
        catch (UnauthorizedAccessException denied)
        {
            var failure = new CliFailure(ExitCodes.Usage, denied.Message);
            invocation.Terminal.Fail(failure);
            return failure.ExitCode;
        }
    }

    public void Dispose()
    {
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        _node?.Dispose();
        _stop.Dispose();
    }
}
