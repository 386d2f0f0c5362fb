using IdResolution.Core.Records;
using IdResolution.Core.Storage;

namespace IdResolution.Core.Tests.Support;

/// <summary>
/// A unit-test double of <see cref="IHandleStore"/>: a dictionary behind a lock, with the same
/// conditional-write rule as the real stores, a read counter, and gates that hold a read open; a
/// change log with dense positions like the embedded store's, cursors, and leases on a clock of the test's.
/// It exists to drive Core's logic; the real stores are covered by the store contract suite.
/// </summary>
internal sealed class InMemoryHandleStore : IHandleStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, HandleRecord> _records = new(StringComparer.Ordinal);
    private readonly Queue<ReadGate> _gates = new();
    private readonly List<ChangeEntry> _changes = [];
    private readonly Dictionary<string, long> _cursors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Owner, DateTimeOffset Until)> _leases = new(StringComparer.Ordinal);
    private int _reads;
    private int _writeCalls;
    private int _multiGetCalls;

    /// <summary>
    /// How many times <see cref="GetAsync"/> read a record other than a prefix handle (<c>0.NA/…</c>): the
    /// reads a resolution makes for the record itself, apart from the jurisdiction's look at prefix handles.
    /// </summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>How many times <see cref="GetManyAsync"/> was called (its keys also count in <see cref="Reads"/>).</summary>
    public int MultiGetCalls => Volatile.Read(ref _multiGetCalls);

    /// <summary>How many times <see cref="WriteAsync"/> was called.</summary>
    public int WriteCalls => Volatile.Read(ref _writeCalls);

    /// <summary>The clock of commit times and lease expiry.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Runs before each write of a batch is applied, outside the lock: lets a test play another writer.</summary>
    public Action<StoreWrite>? BeforeEachWrite { get; set; }

    /// <summary>Puts a record straight into the store, as another node writing to a shared store would.</summary>
    public void Put(string key, HandleRecord record)
    {
        lock (_lock)
        {
            _records[key] = record;
        }
    }

    public HandleRecord? Peek(string key)
    {
        lock (_lock)
        {
            return _records.GetValueOrDefault(key);
        }
    }

    /// <summary>
    /// Holds the next read open: it takes its snapshot when called, then waits for <see cref="ReadGate.Release"/>
    /// before returning it, so a test can let other things happen while the read is in flight.
    /// </summary>
    public ReadGate GateNextRead()
    {
        var gate = new ReadGate();
        lock (_lock)
        {
            _gates.Enqueue(gate);
        }

        return gate;
    }

    public async ValueTask<HandleRecord?> GetAsync(string key, CancellationToken cancellationToken)
    {
        // Prefix handles, which the jurisdiction check reads, are neither counted nor held by a gate.
        var prefixHandle = key.StartsWith("0.NA/", StringComparison.Ordinal);
        if (!prefixHandle)
        {
            Interlocked.Increment(ref _reads);
        }

        HandleRecord? snapshot;
        ReadGate? gate = null;
        lock (_lock)
        {
            snapshot = _records.GetValueOrDefault(key);
            if (!prefixHandle)
            {
                _gates.TryDequeue(out gate);
            }
        }

        if (gate is not null)
        {
            await gate.EnterAndWaitAsync(cancellationToken);
        }

        return snapshot;
    }

    /// <summary>One snapshot of every key under the lock, held by the next gate as a single read would be.</summary>
    public async ValueTask<IReadOnlyList<HandleRecord?>> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _multiGetCalls);
        var snapshot = new HandleRecord?[keys.Count];
        var counted = 0;
        ReadGate? gate = null;
        lock (_lock)
        {
            for (var i = 0; i < keys.Count; i++)
            {
                snapshot[i] = _records.GetValueOrDefault(keys[i]);
                counted += keys[i].StartsWith("0.NA/", StringComparison.Ordinal) ? 0 : 1;
            }

            if (counted > 0)
            {
                _gates.TryDequeue(out gate);
            }
        }

        Interlocked.Add(ref _reads, counted);
        if (gate is not null)
        {
            await gate.EnterAndWaitAsync(cancellationToken);
        }

        return snapshot;
    }

    public ValueTask<IReadOnlyList<StoreWriteResult>> WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writeCalls);
        var results = new StoreWriteResult[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            BeforeEachWrite?.Invoke(write);
            lock (_lock)
            {
                var current = _records.GetValueOrDefault(write.Key);
                if ((current?.Version ?? StoreWrite.Absent) != write.ExpectedVersion)
                {
                    results[i] = StoreWriteResult.Conflict(current);
                    continue;
                }

                if (write.Record is null)
                {
                    _records.Remove(write.Key);
                }
                else
                {
                    _records[write.Key] = write.Record;
                }

                if ((write.Record ?? current) is { } changed && ChangeFeedScope.Includes(write.Key))
                {
                    _changes.Add(new ChangeEntry(_changes.Count + 1, write.Key, write.Record, changed.Version, Time.GetUtcNow()));
                }

                results[i] = StoreWriteResult.Applied;
            }
        }

        return ValueTask.FromResult<IReadOnlyList<StoreWriteResult>>(results);
    }

    public ValueTask<HandlePage> ListAsync(string prefixKey, string? afterKey, int limit, CancellationToken cancellationToken)
    {
        var start = prefixKey + "/";
        lock (_lock)
        {
            var matching = _records
                .Where(pair => pair.Key.StartsWith(start, StringComparison.Ordinal)
                    && (afterKey is null || string.CompareOrdinal(pair.Key, afterKey) > 0))
                .Select(pair => new ListedHandle(pair.Key, pair.Value.Handle))
                .ToList();
            var page = matching.Take(limit).ToList();
            var next = matching.Count > page.Count && page.Count > 0 ? page[^1].Key : null;
            return ValueTask.FromResult(new HandlePage(page, next));
        }
    }

    public ValueTask<long> CountAsync(string prefixKey, CancellationToken cancellationToken)
    {
        var start = prefixKey + "/";
        lock (_lock)
        {
            return ValueTask.FromResult((long)_records.Keys.Count(key => key.StartsWith(start, StringComparison.Ordinal)));
        }
    }

    public ValueTask CheckHealthAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<ChangePage> ReadChangesAsync(long afterPosition, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var entries = _changes.Skip((int)Math.Min(afterPosition, _changes.Count)).Take(limit).ToList();
            return ValueTask.FromResult(new ChangePage(entries, entries.Count > 0 ? entries[^1].Position : afterPosition, false));
        }
    }

    public ValueTask<long> LastChangePositionAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult((long)_changes.Count);
        }
    }

    public ValueTask<long?> ReadCursorAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_cursors.TryGetValue(name, out var value) ? value : (long?)null);
        }
    }

    public ValueTask WriteCursorAsync(string name, long value, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _cursors[name] = value;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> TryAcquireLeaseAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var now = Time.GetUtcNow();
            var free = !_leases.TryGetValue(name, out var lease) || lease.Until <= now || lease.Owner == owner;
            if (free)
            {
                _leases[name] = (owner, now + duration);
            }

            return ValueTask.FromResult(free);
        }
    }

    public ValueTask ReleaseLeaseAsync(string name, string owner, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_leases.TryGetValue(name, out var lease) && lease.Owner == owner)
            {
                _leases.Remove(name);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Holds one store read open until released; tells the test when the read has started.</summary>
internal sealed class ReadGate
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the gated read has taken its snapshot and is waiting.</summary>
    public Task Entered => _entered.Task;

    public void Release() => _released.TrySetResult();

    /// <summary>Ends the gated read with an error, as a store that went down would.</summary>
    public void Fail(Exception exception) => _released.TrySetException(exception);

    internal Task EnterAndWaitAsync(CancellationToken cancellationToken)
    {
        _entered.TrySetResult();
        return _released.Task.WaitAsync(cancellationToken);
    }
}
