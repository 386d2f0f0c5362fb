using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>An acknowledged write is never lost: the real node process is killed with SIGKILL and restarted.</summary>
public sealed class DurabilityTests
{
    private const int Creates = 2400;
    private const string Prefix = "88.709.930";

    [Fact]
    public async Task Every_acknowledged_create_survives_sigkill_and_restart()
    {
        using var data = new TempDirectory();

        // Handle → the values its acknowledged create wrote; compared in full, not just for presence.
        var acknowledged = new ConcurrentDictionary<string, HandleValue[]>(StringComparer.Ordinal);

        // Sixteen writers from one address are far over a client's write budget; durability is the subject here.
        await using (var node = await NodeProcess.StartAsync(data.Path, TimeSpan.FromSeconds(60), "--RateLimits:Enabled=false"))
        {
            var registry = new Registry.RegistryClient(node.Channel);

            // 16 concurrent writers, so acknowledgements come from shared (group) commits as in production.
            await Parallel.ForEachAsync(Enumerable.Range(0, Creates), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            {
                var handle = $"{Prefix}/durable-{i:D5}";
                HandleValue[] values = [Values.Url(1, $"https://d.test/{i}"), Values.Text(2, "SERIAL", i.ToString("D5", CultureInfo.InvariantCulture))];
                var reply = await registry.CreateHandleAsync(Values.Create(handle, values), cancellationToken: ct);
                Assert.Equal(1, reply.ResponseCode);
                acknowledged[handle] = values;
            });

            // Before any crash: a store that acknowledges what it did not keep fails here already.
            var unserved = await DifferingAsync(new Contracts.V1.Resolution.ResolutionClient(node.Channel), acknowledged);
            Assert.True(unserved.Count == 0, Describe("acknowledged creates the live node does not serve as written", unserved, acknowledged.Count));

            // Writes keep arriving while the process dies; only the acknowledged ones are promised.
            using var stop = new CancellationTokenSource();
            var inFlight = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var handle = $"{Prefix}/late-{i:D5}";
                        HandleValue[] values = [Values.Url(1, $"https://late.test/{i}")];
                        await registry.CreateHandleAsync(Values.Create(handle, values));
                        acknowledged[handle] = values;
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

        await using var restarted = await NodeProcess.StartAsync(data.Path, TimeSpan.FromSeconds(60));
        var lost = await DifferingAsync(new Contracts.V1.Resolution.ResolutionClient(restarted.Channel), acknowledged);
        Assert.True(lost.Count == 0, Describe("acknowledged creates lost or changed by SIGKILL and restart", lost, acknowledged.Count));

        // The listing is written in the same batch as the record, so it must be as durable.
        var listed = await ListAsync(new Registry.RegistryClient(restarted.Channel));
        var unlisted = acknowledged.Keys.Where(handle => !listed.Contains(handle)).Select(handle => handle + " is not listed").ToList();
        Assert.True(unlisted.Count == 0, Describe("acknowledged creates missing from the prefix listing after restart", unlisted, acknowledged.Count));
    }

    /// <summary>Resolves every handle from the store of record and says how each one differs from what was acknowledged.</summary>
    private static async Task<List<string>> DifferingAsync(Contracts.V1.Resolution.ResolutionClient resolution, IReadOnlyDictionary<string, HandleValue[]> expected)
    {
        var differing = new List<string>();
        foreach (var chunk in expected.Keys.Order(StringComparer.Ordinal).Chunk(1000))
        {
            var request = new ResolveBatchRequest();
            request.Handles.AddRange(chunk);
            var results = await resolution.ResolveBatchAsync(request);
            for (var i = 0; i < chunk.Length; i++)
            {
                var result = results.Results[i];
                var wanted = expected[chunk[i]];
                if (result.ResponseCode != 1)
                {
                    differing.Add($"{chunk[i]}: response code {result.ResponseCode}");
                }
                else if (!result.Values.Select(Describe).SequenceEqual(wanted.Select(Describe), StringComparer.Ordinal))
                {
                    differing.Add($"{chunk[i]}: [{string.Join(", ", result.Values.Select(Describe))}], written [{string.Join(", ", wanted.Select(Describe))}]");
                }
            }
        }

        return differing;
    }

    private static async Task<HashSet<string>> ListAsync(Registry.RegistryClient registry)
    {
        var handles = new HashSet<string>(StringComparer.Ordinal);
        var token = string.Empty;
        do
        {
            var page = await registry.ListHandlesAsync(new ListHandlesRequest { Prefix = Prefix, PageSize = 1000, PageToken = token });
            handles.UnionWith(page.Handles);
            token = page.NextPageToken;
        }
        while (!string.IsNullOrEmpty(token));

        return handles;
    }

    private static string Describe(HandleValue value) => $"{value.Index}:{value.Type}={value.Data.StringValue}";

    private static string Describe(string what, List<string> failures, int acknowledged) =>
        $"{failures.Count} of {acknowledged} {what}:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(20))}";
}
