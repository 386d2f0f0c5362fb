using System.Buffers;
using System.Text;

namespace IdResolution.Cql.Protocol.Requests;

/// <summary>AUTH_RESPONSE: one [bytes] SASL token (native_protocol_v4.spec §4.1.2).</summary>
internal sealed record AuthResponseRequest(ReadOnlyMemory<byte>? Token) : ICqlRequest
{
    public CqlOpcode Opcode => CqlOpcode.AuthResponse;

    /// <summary>
    /// The SASL PLAIN token PasswordAuthenticator expects: empty authorization id, user, password,
    /// NUL-separated, UTF-8 (cql-protocol.md §1.3).
    /// </summary>
    public static AuthResponseRequest PlainText(string user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        return new AuthResponseRequest(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
    }

    public void WriteBody(IBufferWriter<byte> output) => output.WriteBytes(Token);
}
