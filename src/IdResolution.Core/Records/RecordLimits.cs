namespace IdResolution.Core.Records;

/// <summary>Size bounds on records (configuration section <c>Records</c>).</summary>
public sealed class RecordLimits
{
    public int MaxValuesPerRecord { get; set; } = 512;

    /// <summary>Largest data of one value; Handle values are references, not documents.</summary>
    public int MaxValueDataBytes { get; set; } = 32 * 1024;

    public int MaxTypeBytes { get; set; } = 128;

    /// <summary>Largest encoded record; the Handle protocol's own message limit is 256 KiB.</summary>
    public int MaxRecordBytes { get; set; } = 256 * 1024;

    public int MaxReferencesPerValue { get; set; } = 64;
}
