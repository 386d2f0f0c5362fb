namespace IdResolution.Core.Federation;

/// <summary>
/// Another node could not be reached: no answer within the timeout, the connection refused, its TLS
/// identity not the pinned one, or its circuit breaker open (<see cref="CircuitOpen"/>: the call was not
/// even tried, so a stale answer can be given at once).
/// </summary>
public sealed class RemoteUnavailableException : Exception
{
    public RemoteUnavailableException()
    {
    }

    public RemoteUnavailableException(string message)
        : base(message)
    {
    }

    public RemoteUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RemoteUnavailableException(string nodeId, bool circuitOpen, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        NodeId = nodeId;
        CircuitOpen = circuitOpen;
    }

    public string NodeId { get; } = string.Empty;

    public bool CircuitOpen { get; }
}
