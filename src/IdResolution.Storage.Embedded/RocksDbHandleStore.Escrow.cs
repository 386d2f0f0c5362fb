using RocksDbSharp;

namespace IdResolution.Storage.Embedded;

/// <summary>
/// The engine, lent to the escrow copy kept in the same database (<see cref="EmbeddedEscrowStore"/>): its reads
/// and synced writes run under the store's close and reopen guard, beside the writer loop, as cursors do. They
/// touch only the escrow's own key spaces, never a record, counter or change log entry, so the writer loop's
/// batches and the escrow's cannot disagree, and the node's own change log never carries an escrow copy.
/// </summary>
public sealed partial class RocksDbHandleStore
{
    internal ValueTask<T> UseAsync<TState, T>(TState state, Func<RocksDb, TState, T> use, CancellationToken cancellationToken) =>
        Read(state, use, cancellationToken);

    /// <summary>Writes a batch durably (synced write-ahead log), as the writer loop's batches are.</summary>
    internal void WriteDurably(RocksDb db, WriteBatch batch) => db.Write(batch, _syncWrites);

    internal TimeProvider Time => _time;
}
