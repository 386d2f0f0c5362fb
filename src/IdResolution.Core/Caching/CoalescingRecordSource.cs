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
