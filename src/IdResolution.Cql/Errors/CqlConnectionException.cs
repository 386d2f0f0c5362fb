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
    /// The request was never written (no connection was open, or it had closed before the frame was queued):
    /// nothing reached a server, so any request, conditional writes too, may be sent to another node.
    /// </summary>
    public bool NotSent { get; init; }
}
