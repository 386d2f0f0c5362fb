namespace IdResolution.Core.Storage;

/// <summary>
/// A store could not serve a request (I/O failure, node down, timeout). Surfaces answer it as a
/// retryable error; stores wrap their engine's exceptions in it so no engine type leaks upward.
/// </summary>
public class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
