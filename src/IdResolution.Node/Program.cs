using IdResolution.Node.Hosting;

var builder = WebApplication.CreateBuilder(args);

// IDRES__Section__Key environment variables, below the command line in precedence.
builder.Configuration.AddEnvironmentVariables("IDRES__");
builder.Configuration.AddCommandLine(args);
builder.AddNode();

var app = builder.Build();
app.MapNode();
app.Run();

/// <summary>Entry point; public so integration tests can host the node in-process.</summary>
public partial class Program;
