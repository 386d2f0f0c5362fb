namespace IdResolution.Core.Storage;

/// <summary>
/// A test and diagnostic setting, off by default (configuration <c>Store:StallMilliseconds</c> and
/// <c>Store:StallEvery</c>): one read in <see cref="StallEvery"/> that the resolution path makes of the store freezes
/// the store's reads for <see cref="StallMilliseconds"/>, as a compaction, a slow disk or a pause would: that read
/// and every read arriving during the freeze wait until it ends. It exists so that a load run can show whether its
/// latency figures reflect such stalls (an open-loop run must; a closed loop hides them); never set it on a node
/// that serves anyone.
/// </summary>
public sealed class StoreStallOptions
{
    /// <summary>How long a freeze lasts; 0 (the default) turns stalling off.</summary>
    public int StallMilliseconds { get; set; }

    /// <summary>Which reads start a freeze: the N-th, 2N-th, … (counted over single and batch reads of the store).</summary>
    public int StallEvery { get; set; } = 1000;
}
