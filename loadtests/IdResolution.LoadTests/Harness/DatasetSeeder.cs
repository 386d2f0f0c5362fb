using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using IdResolution.Contracts.V1;

namespace IdResolution.LoadTests.Harness;

/// <summary>Puts a <see cref="Dataset"/> on a node through its batch API, and resolves it once where a scenario needs it hot.</summary>
internal static class DatasetSeeder
{
    private const int BatchSize = 2000;

    /// <summary>The dataset generator: creates the handles through BatchCreate, 2,000 a call, 4 calls at once, and reports its own rate.</summary>
    public static async Task SeedAsync(GrpcChannel channel, Metadata auth, Dataset dataset, string where, CancellationToken cancellationToken)
    {
        var registry = new Registry.RegistryClient(channel);
        var started = Stopwatch.GetTimestamp();
        long next = 0, created = 0;
        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var from = Interlocked.Add(ref next, BatchSize) - BatchSize; from < dataset.Count; from = Interlocked.Add(ref next, BatchSize) - BatchSize)
            {
                var batch = new BatchCreateRequest();
                for (var i = from; i < Math.Min(from + BatchSize, dataset.Count); i++)
                {
                    batch.Items.Add(Dataset.Create(dataset.Handle(i), i, overwrite: true));
                }

                var reply = await registry.BatchCreateAsync(batch, auth, cancellationToken: cancellationToken);
                if (reply.Failed > 0)
                {
                    var failed = reply.Results.First(r => r.ResponseCode != 1);
                    throw new InvalidOperationException($"seeding {where}: {reply.Failed} creates failed, first {failed.Handle}: {failed.ResponseCode} {failed.Message}");
                }

                var total = Interlocked.Add(ref created, reply.Succeeded);
                Console.Error.Write($"\rseed {where} {total:N0}/{dataset.Count:N0}   ");
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(callers);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.Error.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {where}: {created:N0} handles (100 prefixes, 3-8 values) through BatchCreate in {seconds:F1} s: {created / seconds:N0} records/s"));
    }

    /// <summary>
    /// Resolves every handle of <paramref name="dataset"/> once, 32 at a time, so that a hot scenario measures answers
    /// from the caches rather than the first lookups a Zipf warm-up leaves for its rarely drawn handles.
    /// </summary>
    public static async Task PrimeAsync(GrpcChannel channel, Dataset dataset, string what, CancellationToken cancellationToken)
    {
        var resolution = new Resolution.ResolutionClient(channel);
        var started = Stopwatch.GetTimestamp();
        long next = -1;
        var callers = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < dataset.Count; i = Interlocked.Increment(ref next))
            {
                var reply = await resolution.ResolveAsync(new ResolveRequest { Handle = dataset.Handle(i) }, cancellationToken: cancellationToken);
                if (reply.ResponseCode != 1)
                {
                    throw new InvalidOperationException($"priming {what}: {dataset.Handle(i)} answered {reply.ResponseCode}");
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(callers);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"primed {what}: {dataset.Count:N0} handles resolved once in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));
    }
}
