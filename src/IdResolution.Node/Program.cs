using IdResolution.Node.Hosting;

// Settings ship beside the binary, wherever the node is started from; relative data paths stay relative to the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// IDRES__Section__Key environment variables, below the command line in precedence.
builder.Configuration.AddEnvironmentVariables("IDRES__");
builder.Configuration.AddCommandLine(args);
builder.AddNode();

var app = builder.Build();
app.MapNode();
app.Run();

/// <summary>Entry point; public so integration tests can host the node in-process.</summary>
public partial class Program;
