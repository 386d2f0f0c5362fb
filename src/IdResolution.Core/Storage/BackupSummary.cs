namespace IdResolution.Core.Storage;

/// <summary>
/// What a backup holds: taken at <see cref="TakenAt"/>, up to change log position <see cref="FeedPosition"/>,
/// <see cref="Records"/> handle records whose keys and contents hash to <see cref="RecordsSha256"/> (hex).
/// A store restored from it holds exactly these, so the same figures computed on the restored store prove it.
/// </summary>
public sealed record BackupSummary(string Directory, DateTimeOffset TakenAt, long FeedPosition, long Records, string RecordsSha256, long Bytes);
