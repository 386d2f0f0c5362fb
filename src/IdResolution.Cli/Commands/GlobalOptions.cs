using System.CommandLine;

namespace IdResolution.Cli.Commands;

/// <summary>Options every command takes (recursive on the root command).</summary>
internal static class GlobalOptions
{
    public static readonly Option<bool> Json = new("--json") { Description = "Write one JSON document to standard output instead of text", Recursive = true };

    public static readonly Option<string?> Profile = new("--profile") { Description = "Profile in the config file [env: IDRES_PROFILE; default: default]", Recursive = true };

    public static readonly Option<string?> Grpc = new("--grpc") { Description = "The node's gRPC endpoint [env: IDRES_GRPC; default: http://127.0.0.1:8001]", Recursive = true };

    public static readonly Option<string?> Http = new("--http") { Description = "The node's HTTP endpoint, for login [env: IDRES_HTTP; default: http://127.0.0.1:8000]", Recursive = true };

    public static readonly Option<string?> CaCertificate = new("--ca-cert") { Description = "PEM certificate (or CA) an https endpoint must present [env: IDRES_CA_CERT]", Recursive = true };

    public static readonly Option<string?> Token = new("--token") { Description = "Bearer token, instead of the profile's from login [env: IDRES_TOKEN]", Recursive = true };

    public static readonly Option<int> Timeout = new("--timeout")
    {
        Description = "Seconds to wait for each call to the node",
        DefaultValueFactory = _ => 30,
        Recursive = true,
    };

    public static void AddTo(Command root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var option in new Option[] { Json, Profile, Grpc, Http, CaCertificate, Token, Timeout })
        {
            root.Options.Add(option);
        }

        Timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 3600)
            {
                result.AddError("--timeout must be from 1 to 3600 seconds");
            }
        });
    }
}
