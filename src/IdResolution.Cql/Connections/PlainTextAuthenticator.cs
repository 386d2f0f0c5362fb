using System.Text;

namespace IdResolution.Cql.Connections;

/// <summary>
/// SASL PLAIN, which PasswordAuthenticator speaks: <c>\0user\0password</c> in UTF-8 (cql-protocol.md §1.3).
/// Any authenticator class is answered the same way, since DSE and custom authenticators often accept PLAIN too.
/// </summary>
internal sealed class PlainTextAuthenticator(string user, string password) : ICqlAuthenticator
{
    public ReadOnlyMemory<byte>? InitialResponse(string authenticatorClass) => Token();

    // PLAIN has a single step; a challenge can only mean the server wants the credentials again.
    public ReadOnlyMemory<byte>? EvaluateChallenge(ReadOnlyMemory<byte>? challenge) => Token();

    private byte[] Token() => Encoding.UTF8.GetBytes($"\0{user}\0{password}");
}
