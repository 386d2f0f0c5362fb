namespace IdResolution.Cli.Connection;

/// <summary>One named set of endpoints and credentials in the config file; every field is optional.</summary>
internal sealed record Profile
{
    /// <summary>The node's gRPC endpoint, e.g. http://127.0.0.1:8001.</summary>
    public string? Grpc { get; init; }

    /// <summary>The node's HTTP endpoint, for sign-in (POST /identity/token), e.g. http://127.0.0.1:8000.</summary>
    public string? Http { get; init; }

    /// <summary>A PEM file with the certificate (or its CA) that an https endpoint must present.</summary>
    public string? CaCertificate { get; init; }

    /// <summary>The bearer token from <c>idres login</c>.</summary>
    public string? Token { get; init; }

    public string? User { get; init; }

    public DateTimeOffset? TokenExpiresAt { get; init; }
}
