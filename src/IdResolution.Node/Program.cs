using IdResolution.Node.Hosting;

// An operator's command instead of a node: bring the store back from a backup (the node is stopped).
if (RestoreCommand.IsRequested(args))
{
    return RestoreCommand.Run(args, Console.Out, Console.Error);
}

// Settings ship beside the binary, wherever the node is started from; relative data paths stay relative to the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// IDRES__Section__Key environment variables, below the command line in precedence.
builder.Configuration.AddEnvironmentVariables("IDRES__");
builder.Configuration.AddCommandLine(args);

// A node's own settings file (--Config=top.json or IDRES__Config): above appsettings.json, below the environment and the command line.
builder.AddNodeConfigFile();
builder.AddNode();

var app = builder.Build();
try
{
    // Opens the store: a store of record that cannot be opened or reached stops the start here.
    app.MapNode();
}
catch (Exception failure) when (failure is not OperationCanceledException)
{
    // One line that says why, for the operator; the exception's stack adds nothing they can act on.
    NodeLog.CannotStart(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IdResolution.Node"), NodeLog.Reasons(failure));

    // The console logger writes from a queue; disposing the host flushes it before the process ends.
    await app.DisposeAsync();
    return 1;
}

app.Run();
return 0;

/// <summary>Entry point; public so integration tests can host the node in-process.</summary>
public partial class Program;
