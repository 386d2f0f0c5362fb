using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol.Requests;
using IdResolution.Cql.Protocol.Responses;

namespace IdResolution.Cql.Connections;

/// <summary>
/// OPTIONS → SUPPORTED, STARTUP → READY or AUTHENTICATE → AUTH_RESPONSE … AUTH_SUCCESS
/// (native_protocol_v4.spec §4.1.1–§4.1.3, cql-protocol.md §1.3).
/// </summary>
internal static class CqlHandshake
{
    // A server challenging forever would keep the open going past any sensible deadline.
    private const int MaxAuthRounds = 32;

    public static async Task RunAsync(CqlConnection connection, CqlConnectionOptions options, CancellationToken cancellationToken)
    {
        var timeout = options.ConnectTimeout;
        var first = true;
        if (options.SendOptions)
        {
            var supported = await connection.SendFrameAsync(new OptionsRequest(), timeout, cancellationToken);
            connection.Supported = Expect<SupportedResponse>(RefusalChecked(supported, connection.ProtocolVersion));
            first = false;
        }

        var startup = await connection.SendFrameAsync(new StartupRequest(), timeout, cancellationToken);
        var reply = first ? RefusalChecked(startup, connection.ProtocolVersion) : startup.Message;
        switch (reply)
        {
            case ReadyResponse:
                break;
            case AuthenticateResponse authenticate:
                await AuthenticateAsync(connection, options, authenticate.Authenticator, cancellationToken);
                break;
            default:
                Expect<ReadyResponse>(reply);
                break;
        }

        if (options.Keyspace is { } keyspace)
        {
            var use = new QueryRequest(UseStatement(keyspace), new CqlQueryParameters(CqlConsistency.One));
            Expect<SetKeyspaceResult>((await connection.SendFrameAsync(use, timeout, cancellationToken)).Message);
        }
    }

    /// <summary>Quoted, so a keyspace name is taken as written (case kept) and cannot inject CQL.</summary>
    public static string UseStatement(string keyspace) => $"USE \"{keyspace.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static async Task AuthenticateAsync(
        CqlConnection connection,
        CqlConnectionOptions options,
        string authenticatorClass,
        CancellationToken cancellationToken)
    {
        if (options.Authenticator is null)
        {
            throw new CqlAuthenticationException(
                $"{connection.RemoteEndPoint} requires authentication ({authenticatorClass}) but no credentials are configured.");
        }

        var authenticator = options.Authenticator();
        var token = authenticator.InitialResponse(authenticatorClass);
        for (var round = 0; round < MaxAuthRounds; round++)
        {
            var frame = await connection.SendFrameAsync(new AuthResponseRequest(token), options.ConnectTimeout, cancellationToken);
            switch (frame.Message)
            {
                case AuthSuccessResponse:
                    return;
                case AuthChallengeResponse challenge:
                    token = authenticator.EvaluateChallenge(challenge.Token);
                    break;
                default:
                    Expect<AuthSuccessResponse>(frame.Message);
                    return;
            }
        }

        throw new CqlAuthenticationException($"{connection.RemoteEndPoint} sent more than {MaxAuthRounds} authentication challenges.");
    }

    /// <summary>
    /// The first reply is where a server refuses our version: a Protocol error, normally in a frame of its own
    /// version (which the reader already turns into a refusal), otherwise at least naming the version.
    /// </summary>
    private static CqlResponse RefusalChecked(CqlResponseFrame frame, byte version)
    {
        if (frame.Message is ErrorResponse { Exception: CqlServerProtocolErrorException error }
            && (frame.Header.Version != version || error.Message.Contains("version", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ProtocolVersionRefusedException(frame.Header.Version != version ? frame.Header.Version : null, error.Message);
        }

        return frame.Message;
    }

    private static T Expect<T>(CqlResponse reply)
        where T : CqlResponse => reply switch
        {
            T expected => expected,
            ErrorResponse error => throw error.Exception,
            _ => throw new CqlProtocolException($"Expected {typeof(T).Name} during the handshake, got {reply.GetType().Name}."),
        };
}
