namespace IdResolution.Cli.Connection;

/// <summary>
/// The endpoints, trust and token a command uses: each from the flag if given, else the environment
/// (<c>IDRES_GRPC</c>, <c>IDRES_HTTP</c>, <c>IDRES_CA_CERT</c>, <c>IDRES_TOKEN</c>, <c>IDRES_PROFILE</c>), else the
/// profile in the config file, else the node's defaults on loopback.
/// </summary>
internal sealed record ConnectionSettings(string ProfileName, Uri Grpc, Uri Http, string? CaCertificate, string? Token, TimeSpan Timeout)
{
    public const string DefaultGrpc = "http://127.0.0.1:8001";
    public const string DefaultHttp = "http://127.0.0.1:8000";

    public static ConnectionSettings Resolve(ConnectionFlags flags, ConfigFile config, bool creatingProfile = false)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(config);
        var name = First(flags.Profile, Environment.GetEnvironmentVariable("IDRES_PROFILE")) ?? ConfigFile.DefaultProfile;
        var profile = config.Find(name);
        if (profile is null && !creatingProfile && (flags.Profile is not null || Environment.GetEnvironmentVariable("IDRES_PROFILE") is { Length: > 0 }) && name != ConfigFile.DefaultProfile)
        {
            throw CliFailure.Usage($"there is no profile '{name}' in {config.FilePath}; create it with `idres login --profile {name} ...`");
        }

        var grpc = First(flags.Grpc, Environment.GetEnvironmentVariable("IDRES_GRPC"), profile?.Grpc) ?? DefaultGrpc;
        var http = First(flags.Http, Environment.GetEnvironmentVariable("IDRES_HTTP"), profile?.Http) ?? DefaultHttp;
        var ca = First(flags.CaCertificate, Environment.GetEnvironmentVariable("IDRES_CA_CERT"), profile?.CaCertificate);
        var token = First(flags.Token, Environment.GetEnvironmentVariable("IDRES_TOKEN"), profile?.Token);
        return new ConnectionSettings(name, Endpoint(grpc, "--grpc"), Endpoint(http, "--http"), ca, token, flags.Timeout);
    }

    private static string? First(params string?[] candidates) => candidates.FirstOrDefault(candidate => !string.IsNullOrWhiteSpace(candidate));

    private static Uri Endpoint(string text, string flag)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        throw CliFailure.Usage($"{flag} must be an http:// or https:// URL, not '{text}'");
    }
}
