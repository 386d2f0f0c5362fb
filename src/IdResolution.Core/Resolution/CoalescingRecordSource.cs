using System.Collections.Concurrent;
using System.Diagnostics;
using IdResolution.Core.Caching;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;

namespace IdResolution.Core.Resolution;

/// <summary>
/// Cache-then-store reads with request coalescing: concurrent misses on one key share a single
/// store read. Writers call <see cref="InvalidateAsync"/> after their store write; a load that was
/// already under way when the write landed will not leave its older answer in the cache.
/// </summary>
public sealed class CoalescingRecordSource
{
    private readonly ConcurrentDictionary<string, Task<HandleRecord?>> _inflight = new(StringComparer.Ordinal);
    private readonly IRecordCache _cache;
    private readonly IHandleStore _store;
    private readonly CacheTtlPolicy _ttl;
    private readonly NodeMetrics _metrics;

    public CoalescingRecordSource(IRecordCache cache, IHandleStore store, CacheTtlPolicy ttl, NodeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(ttl);
        ArgumentNullException.ThrowIfNull(metrics);
        _cache = cache;
        _store = store;
        _ttl = ttl;
        _metrics = metrics;
    }

    public ValueTask<HandleRecord?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var lookup = _cache.GetAsync(key, cancellationToken);
        if (lookup.IsCompletedSuccessfully)
        {
            var result = lookup.Result;
            return result.Hit ? ValueTask.FromResult(result.Record) : new ValueTask<HandleRecord?>(LoadAsync(key).WaitAsync(cancellationToken));
        }

        return AwaitLookupAsync(lookup, key, cancellationToken);
    }

    /// <summary>Reads the store directly, skipping the cache (an authoritative read).</summary>
    public async ValueTask<HandleRecord?> GetFromStoreAsync(string key, CancellationToken cancellationToken)
    {
        _metrics.StoreRead();
        return await _store.GetAsync(key, cancellationToken);
    }

    public async ValueTask InvalidateAsync(string key, CancellationToken cancellationToken)
    {
        // Order matters: detach the in-flight load first, so that it sees it was overtaken and
        // clears what it cached; then clear the cache.
        _inflight.TryRemove(key, out _);
        await _cache.InvalidateAsync(key, cancellationToken);
    }

    private async ValueTask<HandleRecord?> AwaitLookupAsync(ValueTask<CacheLookup> lookup, string key, CancellationToken cancellationToken)
    {
        var result = await lookup;
        return result.Hit ? result.Record : await LoadAsync(key).WaitAsync(cancellationToken);
    }

    private Task<HandleRecord?> LoadAsync(string key)
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
                _ = RunLoadAsync(key, completion);
                return completion.Task;
            }
        }
    }

    private async Task RunLoadAsync(string key, TaskCompletionSource<HandleRecord?> completion)
    {
        try
        {
            using var activity = NodeActivity.Source.StartActivity("store.read", ActivityKind.Internal);
            _metrics.StoreRead();

            // No caller's token: the read is shared, and one caller giving up must not fail the others.
            var record = await _store.GetAsync(key, CancellationToken.None);
            await _cache.SetAsync(key, record, _ttl.For(record), CancellationToken.None);
            if (!_inflight.TryRemove(new KeyValuePair<string, Task<HandleRecord?>>(key, completion.Task)))
            {
                // A write invalidated this key while we were reading: what we cached may be older than it.
                await _cache.InvalidateAsync(key, CancellationToken.None);
            }

            completion.TrySetResult(record);
        }
        catch (Exception exception)
        {
            _inflight.TryRemove(new KeyValuePair<string, Task<HandleRecord?>>(key, completion.Task));
            completion.TrySetException(exception);
        }
    }
}
