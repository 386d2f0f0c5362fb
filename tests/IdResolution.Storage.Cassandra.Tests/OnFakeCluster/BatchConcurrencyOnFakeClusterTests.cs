using IdResolution.Core.Storage;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Tests.Server;
using static IdResolution.Storage.Cassandra.Tests.OnFakeCluster.FakeClusterStore;

namespace IdResolution.Storage.Cassandra.Tests.OnFakeCluster;

/// <summary>
/// The statements of one batch run concurrently, never more than <see cref="CassandraStoreOptions.BatchConcurrency"/>
/// at once: every node of the fake cluster holds each record read and conditional write a little and counts how many it holds.
/// </summary>
public sealed class BatchConcurrencyOnFakeClusterTests
{
    private const int Bound = 8;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_multi_get_reads_each_distinct_key_once_with_at_most_the_bound_in_flight()
    {
        await using var cluster = new FakeCluster();
        await using var store = await OpenAsync(cluster, Options(cluster));
        var meter = Meter(cluster);
        var keys = Enumerable.Range(0, 100).Select(i => $"88.709.911/MANY-{i:D3}").ToList();
        keys.InsertRange(50, keys.Take(20));

        var found = await store.GetManyAsync(keys, Ct);

        Assert.Equal(keys.Count, found.Count);
        Assert.All(found, Assert.Null);
        Assert.Equal(100, meter.Held);
        Assert.InRange(meter.Peak, 2, Bound);
    }

    [Fact]
    public async Task A_write_batch_runs_its_conditional_writes_concurrently_up_to_the_bound_with_results_in_order()
    {
        await using var cluster = new FakeCluster();
        await using var store = await OpenAsync(cluster, Options(cluster));
        var meter = Meter(cluster);
        var writes = Enumerable.Range(0, 60)
            .Select(i => StoreWrite.Create($"88.709.911/w-{i:D3}", Records.Url($"88.709.911/W-{i:D3}", 1)))
            .ToArray();

        var results = await store.WriteAsync(writes, Ct);

        Assert.Equal(writes.Length, results.Count);
        Assert.All(results, result => Assert.Equal(StoreWriteStatus.Applied, result.Status));
        Assert.Equal(60, meter.Held);
        Assert.InRange(meter.Peak, 2, Bound);
    }

    private static ValueTask<CassandraHandleStore> OpenAsync(FakeCluster cluster, CassandraStoreOptions options)
    {
        options.BatchConcurrency = Bound;
        return FakeClusterStore.OpenAsync(cluster, options);
    }

    /// <summary>Holds record reads and conditional record writes on every node (not their PREPAREs, nor anything else) for a moment each.</summary>
    private static InFlightMeter Meter(FakeCluster cluster)
    {
        var meter = new InFlightMeter();
        foreach (var node in cluster.Nodes)
        {
            node.Hold = request => request.Opcode is CqlOpcode.Query or CqlOpcode.Execute && node.StatementOf(request) is { } cql
                && (cql.StartsWith("SELECT handle, version, record FROM handles", StringComparison.Ordinal)
                    || cql.StartsWith("INSERT INTO handles", StringComparison.Ordinal)
                    || cql.StartsWith("UPDATE handles", StringComparison.Ordinal))
                ? meter.HoldAsync()
                : null;
        }

        return meter;
    }

    private sealed class InFlightMeter
    {
        private int _now;
        private int _peak;
        private int _held;

        public int Peak => Volatile.Read(ref _peak);

        public int Held => Volatile.Read(ref _held);

        public async Task HoldAsync()
        {
            Interlocked.Increment(ref _held);
            var now = Interlocked.Increment(ref _now);
            for (var peak = Volatile.Read(ref _peak); now > peak; peak = Volatile.Read(ref _peak))
            {
                if (Interlocked.CompareExchange(ref _peak, now, peak) == peak)
                {
                    break;
                }
            }

            try
            {
                // A slow replica: long enough that a client which overlaps its requests visibly does.
                await Task.Delay(TimeSpan.FromMilliseconds(20));
            }
            finally
            {
                Interlocked.Decrement(ref _now);
            }
        }
    }
}
