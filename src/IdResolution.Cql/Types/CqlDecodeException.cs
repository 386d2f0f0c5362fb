namespace IdResolution.Cql.Types;

/// <summary>A value's bytes do not match its CQL type (wrong length, truncated collection, invalid text).</summary>
public sealed class CqlDecodeException : Exception
{
    public CqlDecodeException()
    {
    }

    public CqlDecodeException(string message)
        : base(message)
    {
    }

    public CqlDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
