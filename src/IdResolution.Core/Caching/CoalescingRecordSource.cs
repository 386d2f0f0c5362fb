using System.Collections.Concurrent;
using System.Diagnostics;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;

namespace IdResolution.Core.Caching;

/// <summary>
/// Reads through the cache tiers to the store: the in-process tier answers synchronously; on a
/// miss, one load per key (however many callers wait for it) asks the shared tier, then the store.
/// Writers call <see cref="InvalidateAsync(IReadOnlyList{string}, CancellationToken)"/> after their
/// store write; a load already under way when the write, here or on another instance, landed will
/// not leave its older answer in the cache.
/// </summary>
public sealed class CoalescingRecordSource : IDisposable
{
    private readonly ConcurrentDictionary<string, Task<HandleRecord?>> _inflight = new(StringComparer.Ordinal);
    private readonly IRecordCache _local;
    private readonly ISharedRecordCache? _shared;
    private readonly IDisposable? _subscription;
    private readonly IHandleStore _store;
    private readonly CacheTtlPolicy _ttl;
    private readonly TimeSpan _localMaxTtl;
    private readonly NodeMetrics _metrics;

    public CoalescingRecordSource(IRecordCache local, ISharedRecordCache? shared, IHandleStore store, CacheTtlPolicy ttl, TimeSpan localMaxTtl, NodeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(ttl);
        ArgumentNullException.ThrowIfNull(metrics);
        _local = local;
        _shared = shared;
        _store = store;
        _ttl = ttl;
        _localMaxTtl = shared is null ? TimeSpan.MaxValue : localMaxTtl;
        _metrics = metrics;
        _subscription = shared?.Subscribe(DropLocal);
    }

    public ValueTask<HandleRecord?> GetAsync(string key, CancellationToken cancellationToken) => GetAsync(key, null, cancellationToken);

    /// <summary>
    /// Reads through the tiers, loading a miss with <paramref name="load"/> instead of the store (null: the
    /// store). Another node's records are loaded this way: cached like local ones for their TTL, one remote
    /// call however many callers miss at once. A load that fails fails its waiting callers and caches nothing.
    /// </summary>
    public ValueTask<HandleRecord?> GetAsync(string key, Func<string, Task<HandleRecord?>>? load, CancellationToken cancellationToken)
    {
        var lookup = _local.GetAsync(key, cancellationToken);
        if (lookup.IsCompletedSuccessfully)
        {
            var result = lookup.Result;
            return result.Hit ? ValueTask.FromResult(result.Record) : new ValueTask<HandleRecord?>(LoadAsync(key, load).WaitAsync(cancellationToken));
        }

        return AwaitLookupAsync(lookup, key, load, cancellationToken);
    }

    /// <summary>
    /// Reads many keys through the tiers at once, one answer per key in order: in-process hits at once;
    /// keys another caller is already loading join that load; the rest are loaded together, one multi-get
    /// from the shared tier and one from the store for what it did not hold. Those loads are shared like
    /// single ones (a single resolve of such a key meanwhile waits for the batch's load) and are cached the same way.
    /// </summary>
    public async ValueTask<HandleRecord?[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var records = new HandleRecord?[keys.Count];
        List<(int Index, Task<HandleRecord?> Load)>? waits = null;
        Dictionary<string, TaskCompletionSource<HandleRecord?>>? mine = null;
        for (var i = 0; i < records.Length; i++)
        {
            var key = keys[i];
            var lookup = _local.GetAsync(key, cancellationToken);
            var result = lookup.IsCompletedSuccessfully ? lookup.Result : await lookup;
            if (result.Hit)
            {
                records[i] = result.Record;
                continue;
            }

            (waits ??= []).Add((i, Join(key, ref mine)));
        }

        if (waits is null)
        {
            return records;
        }

        if (mine is not null)
        {
            _ = RunLoadManyAsync(mine);
        }

        foreach (var (index, load) in waits)
        {
            records[index] = await load.WaitAsync(cancellationToken);
        }

        return records;
    }

    /// <summary>Reads the store directly, skipping the cache (an authoritative read).</summary>
    public async ValueTask<HandleRecord?> GetFromStoreAsync(string key, CancellationToken cancellationToken)
    {
        _metrics.StoreRead();
        return await _store.GetAsync(key, cancellationToken);
    }

    public ValueTask InvalidateAsync(string key, CancellationToken cancellationToken) => InvalidateAsync([key], cancellationToken);

    /// <summary>
    /// Called after store writes. It runs to the end whatever the caller's token says: a write that
    /// is durable must not leave the old record cached because its caller stopped waiting.
    /// </summary>
    public async ValueTask InvalidateAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            DropLocal(key);
        }

        if (_shared is not null && keys.Count > 0)
        {
            await _shared.InvalidateAsync(keys, CancellationToken.None);
        }
    }

    public void Dispose() => _subscription?.Dispose();

    private void DropLocal(string? key)
    {
        // Order matters: detach the in-flight load first, so that it sees it was overtaken and
        // clears what it cached; then clear the cache.
        if (key is null)
        {
            _inflight.Clear();
            _local.Clear();
            return;
        }

        _inflight.TryRemove(key, out _);
        var dropped = _local.InvalidateAsync(key, CancellationToken.None);
        if (!dropped.IsCompletedSuccessfully)
        {
            _ = dropped.AsTask();
        }
    }

    private async ValueTask<HandleRecord?> AwaitLookupAsync(ValueTask<CacheLookup> lookup, string key, Func<string, Task<HandleRecord?>>? load, CancellationToken cancellationToken)
    {
        var result = await lookup;
        return result.Hit ? result.Record : await LoadAsync(key, load).WaitAsync(cancellationToken);
    }

    private Task<HandleRecord?> LoadAsync(string key, Func<string, Task<HandleRecord?>>? load)
    {
        while (true)
        {
            if (_inflight.TryGetValue(key, out var running))
            {
                return running;
            }

            var completion = new TaskCompletionSource<HandleRecord?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inflight.TryAdd(key, completion.Task))
            {
                _ = RunLoadAsync(key, completion, load ?? ReadStoreAsync);
                return completion.Task;
            }
        }
    }

    /// <summary>A load of <paramref name="key"/> already running, or a new one this batch will run (added to <paramref name="mine"/>).</summary>
    private Task<HandleRecord?> Join(string key, ref Dictionary<string, TaskCompletionSource<HandleRecord?>>? mine)
    {
        if (mine is not null && mine.TryGetValue(key, out var own))
        {
            return own.Task;
        }

        while (true)
        {
            if (_inflight.TryGetValue(key, out var running))
            {
                return running;
            }

            var completion = new TaskCompletionSource<HandleRecord?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inflight.TryAdd(key, completion.Task))
            {
                (mine ??= new Dictionary<string, TaskCompletionSource<HandleRecord?>>(StringComparer.Ordinal))[key] = completion;
                return completion.Task;
            }
        }
    }

    /// <summary>As <see cref="RunLoadAsync"/> for many keys: one shared-tier multi-get, one store multi-get for the rest.</summary>
    private async Task RunLoadManyAsync(Dictionary<string, TaskCompletionSource<HandleRecord?>> loads)
    {
        string[] keys = [.. loads.Keys];
        try
        {
            var shared = _shared is null ? new CacheLookup[keys.Length] : await _shared.GetManyAsync(keys, CancellationToken.None);
            var missing = new List<string>(keys.Length);
            for (var k = 0; k < keys.Length; k++)
            {
                if (!shared[k].Hit)
                {
                    missing.Add(keys[k]);
                }
            }

            var readStarted = Stopwatch.GetTimestamp();
            var stored = missing.Count == 0 ? [] : await ReadStoreManyAsync(missing);
            var fromStore = 0;
            List<(string Key, HandleRecord? Record, TimeSpan Ttl)>? fills = null;
            for (var k = 0; k < keys.Length; k++)
            {
                var key = keys[k];
                var completion = loads[key];
                var record = shared[k].Hit ? shared[k].Record : stored[fromStore++];
                var ttl = shared[k].TimeToLive ?? _ttl.For(record);
                await _local.SetAsync(key, record, ttl < _localMaxTtl ? ttl : _localMaxTtl, CancellationToken.None);
                var current = _inflight.TryRemove(new KeyValuePair<string, Task<HandleRecord?>>(key, completion.Task));
                if (!current)
                {
                    await _local.InvalidateAsync(key, CancellationToken.None);
                }

                completion.TrySetResult(record);
                if (_shared is not null && !shared[k].Hit && current && ttl > TimeSpan.Zero)
                {
                    (fills ??= []).Add((key, record, ttl));
                }
            }

            if (fills is not null && _shared is not null && Stopwatch.GetElapsedTime(readStarted) < _shared.FillWindow)
            {
                // Issued together so the client pipelines them, as the lookups were.
                var adds = new Task[fills.Count];
                for (var f = 0; f < adds.Length; f++)
                {
                    adds[f] = _shared.AddAsync(fills[f].Key, fills[f].Record, fills[f].Ttl, CancellationToken.None).AsTask();
                }

                await Task.WhenAll(adds);
            }
        }
        catch (Exception exception)
        {
            foreach (var (key, completion) in loads)
            {
                _inflight.TryRemove(new KeyValuePair<string, Task<HandleRecord?>>(key, completion.Task));
                completion.TrySetException(exception);
            }
        }
    }

    private async Task<IReadOnlyList<HandleRecord?>> ReadStoreManyAsync(IReadOnlyList<string> keys)
    {
        using var activity = NodeActivity.Source.StartActivity("store.read_many", ActivityKind.Internal);
        activity?.SetTag("store.keys", keys.Count);
        _metrics.StoreReads(keys.Count);
        return await _store.GetManyAsync(keys, CancellationToken.None);
    }

    // No caller's token anywhere below: the load is shared, and one caller giving up must not fail the others.
    private async Task RunLoadAsync(string key, TaskCompletionSource<HandleRecord?> completion, Func<string, Task<HandleRecord?>> load)
    {
        try
        {
            var shared = _shared is null ? CacheLookup.Miss : await _shared.GetAsync(key, CancellationToken.None);
            var readStarted = Stopwatch.GetTimestamp();
            var record = shared.Hit ? shared.Record : await load(key);
            var ttl = shared.TimeToLive ?? _ttl.For(record);
            await _local.SetAsync(key, record, ttl < _localMaxTtl ? ttl : _localMaxTtl, CancellationToken.None);
            var current = _inflight.TryRemove(new KeyValuePair<string, Task<HandleRecord?>>(key, completion.Task));
            if (!current)
            {
                // A write invalidated this key while we were reading: what we cached may be older than it.
                await _local.InvalidateAsync(key, CancellationToken.None);
            }

            completion.TrySetResult(record);
            if (_shared is not null && !shared.Hit && current && ttl > TimeSpan.Zero && Stopwatch.GetElapsedTime(readStarted) < _shared.FillWindow)
            {
                await _shared.AddAsync(key, record, ttl, CancellationToken.None);
            }
        }
        catch (Exception exception)
        {
            _inflight.TryRemove(new KeyValuePair<string, Task<HandleRecord?>>(key, completion.Task));
            completion.TrySetException(exception);
        }
    }

    private async Task<HandleRecord?> ReadStoreAsync(string key)
    {
        using var activity = NodeActivity.Source.StartActivity("store.read", ActivityKind.Internal);
        _metrics.StoreRead();
        return await _store.GetAsync(key, CancellationToken.None);
    }
}
