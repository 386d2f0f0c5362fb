using System.Collections.Concurrent;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>An acknowledged write is never lost: the real node process is killed with SIGKILL and restarted.</summary>
public sealed class DurabilityTests
{
    private const int Creates = 2400;

    [Fact]
    public async Task Every_acknowledged_create_survives_sigkill_and_restart()
    {
        using var data = new TempDirectory();
        var acknowledged = new ConcurrentBag<string>();

        // Sixteen writers from one address are far over a client's write budget; durability is the subject here.
        await using (var node = await NodeProcess.StartAsync(data.Path, TimeSpan.FromSeconds(60), "--RateLimits:Enabled=false"))
        {
            var registry = new Registry.RegistryClient(node.Channel);

            // 16 concurrent writers, so acknowledgements come from shared (group) commits as in production.
            await Parallel.ForEachAsync(Enumerable.Range(0, Creates), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            {
                var handle = $"88.709.930/durable-{i:D5}";
                var reply = await registry.CreateHandleAsync(Values.Create(handle, Values.Url(1, $"https://d.test/{i}"), Values.Text(2, "SERIAL", i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture))), cancellationToken: ct);
                Assert.Equal(1, reply.ResponseCode);
                acknowledged.Add(handle);
            });

            // Writes keep arriving while the process dies; only the acknowledged ones are promised.
            using var stop = new CancellationTokenSource();
            var inFlight = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var handle = $"88.709.930/late-{i:D5}";
                        await registry.CreateHandleAsync(Values.Create(handle, Values.Url(1, "https://late.test")));
                        acknowledged.Add(handle);
                    }
                    catch (RpcException)
                    {
                        return;
                    }
                }
            });

            await node.KillAsync();
            await stop.CancelAsync();
            await inFlight;
        }

        Assert.True(acknowledged.Count >= Creates);

        await using var restarted = await NodeProcess.StartAsync(data.Path, TimeSpan.FromSeconds(60));
        var resolution = new Contracts.V1.Resolution.ResolutionClient(restarted.Channel);
        var missing = new List<string>();
        foreach (var chunk in acknowledged.Chunk(1000))
        {
            var request = new ResolveBatchRequest();
            request.Handles.AddRange(chunk);
            var results = await resolution.ResolveBatchAsync(request);
            for (var i = 0; i < chunk.Length; i++)
            {
                var result = results.Results[i];
                var intact = result.ResponseCode == 1 && result.Values.Count >= 1 && result.Values[0].Data.StringValue.StartsWith("https://", StringComparison.Ordinal);
                if (!intact)
                {
                    missing.Add(chunk[i]);
                }
            }
        }

        Assert.Empty(missing);
    }
}
