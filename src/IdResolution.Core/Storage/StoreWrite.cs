using IdResolution.Core.Records;

namespace IdResolution.Core.Storage;

/// <summary>
/// One conditional write. <see cref="ExpectedVersion"/> is the version the writer read, or
/// <see cref="Absent"/> when the handle must not exist yet. A null <see cref="Record"/> deletes.
/// </summary>
public readonly record struct StoreWrite(string Key, long ExpectedVersion, HandleRecord? Record)
{
    public const long Absent = 0;

    public static StoreWrite Create(string key, HandleRecord record) => new(key, Absent, record);

    public static StoreWrite Replace(string key, long expectedVersion, HandleRecord record) => new(key, expectedVersion, record);

    public static StoreWrite Delete(string key, long expectedVersion) => new(key, expectedVersion, null);
}

public enum StoreWriteStatus
{
    Applied,

    /// <summary>The stored version was not the expected one; <see cref="StoreWriteResult.Current"/> holds what is stored.</summary>
    Conflict,
}

public readonly record struct StoreWriteResult(StoreWriteStatus Status, HandleRecord? Current)
{
    public static StoreWriteResult Applied { get; } = new(StoreWriteStatus.Applied, null);

    public static StoreWriteResult Conflict(HandleRecord? current) => new(StoreWriteStatus.Conflict, current);
}

/// <summary>One page of a prefix listing: display spellings with their keys, and the cursor for the next page.</summary>
public sealed record HandlePage(IReadOnlyList<ListedHandle> Handles, string? NextAfterKey);

public readonly record struct ListedHandle(string Key, string Handle);
