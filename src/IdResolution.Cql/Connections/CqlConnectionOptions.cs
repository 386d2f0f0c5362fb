using System.Net.Security;

namespace IdResolution.Cql.Connections;

/// <summary>Settings of one <see cref="CqlConnection"/>.</summary>
internal sealed record CqlConnectionOptions
{
    /// <summary>
    /// The protocol allows 32,768 ids; public drivers cap a connection at 2,048 to bound the memory held by
    /// in-flight requests (cql-protocol.md §2).
    /// </summary>
    public const int DefaultMaxStreamIds = 2048;

    public const int MaxProtocolStreamIds = 32768;

    /// <summary>The version tried first. Only v3 and v4 framing is implemented.</summary>
    public byte MaxProtocolVersion { get; init; } = 4;

    /// <summary>
    /// The lowest version negotiation may fall back to. v3 shares v4's frame header, but bodies are still
    /// written and decoded with v4 layouts, which differ in a few places (a v3 Prepared result has no partition
    /// key indexes; unset values and some error codes are v4-only), so a v3 connection suits the handshake,
    /// QUERY and errors, not yet PREPARE.
    /// </summary>
    public byte MinProtocolVersion { get; init; } = 3;

    public int MaxStreamIds { get; init; } = DefaultMaxStreamIds;

    /// <summary>
    /// How many ids may wait for late replies before the connection reports itself unhealthy: a server that
    /// stops answering some requests would otherwise shrink the pool to nothing without anyone noticing.
    /// </summary>
    public int MaxQuarantinedStreamIds { get; init; } = DefaultMaxStreamIds / 4;

    /// <summary>Bounds the TCP connect, the TLS handshake and each handshake message.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Sends OPTIONS before STARTUP and keeps the SUPPORTED answer.</summary>
    public bool SendOptions { get; init; } = true;

    /// <summary>Creates the SASL exchange for a server that answers STARTUP with AUTHENTICATE; null when none is configured.</summary>
    public Func<ICqlAuthenticator>? Authenticator { get; init; }

    /// <summary>A keyspace to USE once the handshake is done; null for none.</summary>
    public string? Keyspace { get; init; }

    /// <summary>TLS settings; null for plain TCP.</summary>
    public SslClientAuthenticationOptions? Tls { get; init; }

    public int MaxFrameBodyLength { get; init; } = Protocol.CqlFrameHeader.DefaultMaxBodyLength;

    public void Validate()
    {
        if (MaxProtocolVersion is < 3 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxProtocolVersion), MaxProtocolVersion, "Only protocol v3 and v4 framing is implemented.");
        }

        if (MinProtocolVersion < 3 || MinProtocolVersion > MaxProtocolVersion)
        {
            throw new ArgumentOutOfRangeException(nameof(MinProtocolVersion), MinProtocolVersion, "Must be between 3 and the maximum version.");
        }

        if (MaxStreamIds is < 1 or > MaxProtocolStreamIds)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStreamIds), MaxStreamIds, $"Must be between 1 and {MaxProtocolStreamIds}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxQuarantinedStreamIds);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero);
    }
}
