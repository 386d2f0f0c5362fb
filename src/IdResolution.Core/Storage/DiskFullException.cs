namespace IdResolution.Core.Storage;

/// <summary>
/// A write was not acknowledged because the disk under the store of record or the audit trail is
/// full. The message is written for the client (what happened and what to do, never a path); the
/// engine's own error is the inner exception, for the log. Surfaces answer it with Handle code 2
/// (ERROR) and HTTP 503 / gRPC UNAVAILABLE: reads go on, and the same request succeeds once space is freed.
/// </summary>
public sealed class DiskFullException : StoreUnavailableException
{
    public DiskFullException()
    {
    }

    public DiskFullException(string message)
        : base(message)
    {
    }

    public DiskFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
