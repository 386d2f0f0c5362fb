using System.Net;

namespace IdResolution.Cql.Errors;

/// <summary>
/// The connection a request was sent on is gone (closed by the peer, reset, a protocol violation, or
/// disposed). Unless <see cref="NotSent"/>, the request may or may not have reached the server; only an
/// idempotent one may be retried.
/// </summary>
public sealed class CqlConnectionException : Exception
{
    public CqlConnectionException()
    {
    }

    public CqlConnectionException(string message)
        : base(message)
    {
    }

    public CqlConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The node the connection went to, when known: messages name it ("the connection to 10.0.0.3:9042 closed").</summary>
    public EndPoint? Host { get; init; }

    /// <summary>
    /// The statement was not run: its request was never written (no connection was open, or it had closed
    /// before the frame was queued), or the node refused it as unprepared and the connection went while it was
    /// prepared again. Any statement, conditional writes too, may then be sent to another node.
    /// </summary>
    public bool NotSent { get; init; }
}
