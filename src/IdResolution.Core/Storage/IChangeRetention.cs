namespace IdResolution.Core.Storage;

/// <summary>
/// How far a store's change log retention reaches: a reader (the parent's escrow) whose applied position is
/// below what retention will have dropped has lost entries and must start again from a dump. The node warns
/// before that happens, from the position the parent says it has applied.
/// </summary>
public interface IChangeRetention
{
    /// <summary>The newest position retention will have dropped by <paramref name="at"/> (0 when none), as the log stands now.</summary>
    ValueTask<long> DroppedThroughAsync(DateTimeOffset at, CancellationToken cancellationToken);
}
