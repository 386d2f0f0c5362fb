using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Connections;

/// <summary>
/// The server refused the protocol version of the handshake. Never escapes <see cref="CqlConnection.OpenAsync"/>:
/// it drives the downgrade, and a final refusal surfaces as <see cref="CqlServerProtocolErrorException"/>.
/// </summary>
internal sealed class ProtocolVersionRefusedException(byte? serverVersion, string message) : Exception(message)
{
    /// <summary>The version of the frame the refusal came in, which is the server's own; null when it used ours.</summary>
    public byte? ServerVersion { get; } = serverVersion;
}
