namespace IdResolution.Caching.Redis.Tests.Infrastructure;

/// <summary>An error reply from redis (e.g. "MOVED 866 127.0.0.1:7001"); the message is the reply text.</summary>
public sealed class RedisErrorReplyException : Exception
{
    public RedisErrorReplyException()
    {
    }

    public RedisErrorReplyException(string message)
        : base(message)
    {
    }

    public RedisErrorReplyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
