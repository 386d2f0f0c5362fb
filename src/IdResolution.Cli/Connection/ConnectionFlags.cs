namespace IdResolution.Cli.Connection;

/// <summary>What the command line said about the connection; null where it said nothing.</summary>
internal sealed record ConnectionFlags(string? Profile, string? Grpc, string? Http, string? CaCertificate, string? Token, TimeSpan Timeout);
