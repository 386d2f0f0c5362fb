using IdResolution.Core.Storage;

namespace IdResolution.Storage.Cassandra.Tests;

/// <summary>
/// Instances of a node writing the same handles at once, as a registrar would: each reads a handle and
/// creates, replaces or deletes it with a new version, and a conflict means another instance got there first.
/// </summary>
internal static class RacingWriters
{
    /// <summary>Runs every writer through every key <paramref name="rounds"/> times; the number of conflicts.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<IHandleStore> writers, IReadOnlyList<string> keys, int rounds, CancellationToken cancellationToken)
    {
        long version = 0;
        var conflicts = 0;
        await Task.WhenAll(writers.Select((store, w) => Task.Run(async () =>
        {
            for (var round = 0; round < rounds; round++)
            {
                foreach (var key in keys)
                {
                    var current = await store.GetAsync(key, cancellationToken);
                    var next = Interlocked.Increment(ref version);
                    var write = current is null ? StoreWrite.Create(key, Records.Url(key, next, $"https://w{w}.example/{round}"))
                        : (next + w) % 5 == 0 ? StoreWrite.Delete(key, current.Version)
                        : StoreWrite.Replace(key, current.Version, Records.Url(key, next, $"https://w{w}.example/{round}"));
                    if (Assert.Single(await store.WriteAsync([write], cancellationToken)).Status == StoreWriteStatus.Conflict)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }
            }
        }, cancellationToken)));
        return conflicts;
    }
}
