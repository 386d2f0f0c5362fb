using IdResolution.Core.Storage;

namespace IdResolution.Storage.Cassandra;

/// <summary>What a write needs next once its conditional statement answered.</summary>
internal readonly record struct WriteDecision(StoreWriteResult Result, bool NeedsSerialRead)
{
    public static WriteDecision Final(StoreWriteResult result) => new(result, false);

    /// <summary>A conflict whose current record the response did not carry: read the key at SERIAL.</summary>
    public static WriteDecision ReadCurrent { get; } = new(default, true);
}
