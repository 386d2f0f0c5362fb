namespace IdResolution.Cql.Tests.Server;

/// <summary>
/// Ways a node can fail a new connection's handshake, one per kind of failure the client sees: a reset,
/// silence (a timeout), bytes that are no frame, a reply of the wrong kind, and the server's errors.
/// </summary>
public enum HandshakeFault
{
    None,

    /// <summary>Accepts the TCP connection and resets it at once.</summary>
    AcceptThenClose,

    /// <summary>Never answers the handshake.</summary>
    Silent,

    /// <summary>Answers with bytes that are not a frame.</summary>
    Garbage,

    /// <summary>Answers OPTIONS or STARTUP with a RESULT, which no handshake expects.</summary>
    UnexpectedReply,

    /// <summary>ERROR Server_error.</summary>
    ServerError,

    /// <summary>ERROR Is_bootstrapping.</summary>
    Bootstrapping,

    /// <summary>ERROR Authentication_error.</summary>
    AuthenticationError,

    /// <summary>Resets the connection on the first handshake message.</summary>
    CloseMidHandshake,
}
