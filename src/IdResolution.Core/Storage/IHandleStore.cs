using IdResolution.Core.Records;

namespace IdResolution.Core.Storage;

/// <summary>
/// The store of record. Keys are canonical handle keys (<see cref="Identifiers.HandleId.Key"/>).
/// Every write is conditional on the version the writer read, so concurrent writers to one handle
/// never lose an update: the loser sees <see cref="StoreWriteStatus.Conflict"/> and the current record.
/// A write is acknowledged only once it is durable. Every applied change enters the store's change log
/// (<see cref="IChangeFeed"/>), and the store keeps the node's cursors and leases (<see cref="INodeState"/>).
/// </summary>
public interface IHandleStore : IChangeFeed, INodeState, IAsyncDisposable
{
    ValueTask<HandleRecord?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Reads many keys at once: one answer per key, in the order of <paramref name="keys"/> (null where the
    /// handle is absent; a key given twice is answered twice). How it reads them is the store's to choose
    /// (the embedded store one MultiGet, Cassandra concurrent reads up to a bound), so a batch costs about
    /// one read's wall time rather than one per key.
    /// </summary>
    ValueTask<IReadOnlyList<HandleRecord?>> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Applies each write atomically and independently (a batch may partly succeed); results come
    /// back in the order of <paramref name="writes"/>.
    /// </summary>
    ValueTask<IReadOnlyList<StoreWriteResult>> WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken);

    /// <summary>
    /// Lists handles under one prefix in key order, strictly after <paramref name="afterKey"/> when given.
    /// The order is stable, so the last key of a page is a valid cursor for the next.
    /// </summary>
    ValueTask<HandlePage> ListAsync(string prefixKey, string? afterKey, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// How many handles are stored under one prefix: exactly the handles <see cref="ListAsync"/> lists
    /// for <paramref name="prefixKey"/> as of the last acknowledged write. How much it costs is the
    /// store's to say (the embedded store keeps a counter per prefix).
    /// </summary>
    ValueTask<long> CountAsync(string prefixKey, CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot serve; used by readiness checks.</summary>
    ValueTask CheckHealthAsync(CancellationToken cancellationToken);
}
