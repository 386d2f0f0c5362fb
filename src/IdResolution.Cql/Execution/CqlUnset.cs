namespace IdResolution.Cql.Execution;

/// <summary>
/// A bound value that leaves its column as it is (protocol v4 "not set"), unlike null, which writes
/// a tombstone.
/// </summary>
public sealed class CqlUnset
{
    private CqlUnset()
    {
    }

    public static CqlUnset Value { get; } = new();
}
