using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;
using IdResolution.Storage.Embedded;

namespace IdResolution.Node.Tests.Duties;

/// <summary>
/// The operator's backup and restore with real node processes: POST /v1/admin/backups while writes go on,
/// <c>restore --from --to</c>, and a second node started on the restored store.
/// </summary>
public sealed class BackupRestoreTests
{
    private const string Prefix = "88.709.931";
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_backup_taken_under_write_load_restores_to_a_node_whose_records_and_feed_position_match_its_checksum()
    {
        using var original = new TempDirectory();
        using var restoredData = new TempDirectory();
        using var backups = new TempDirectory();
        var backupDirectory = Path.Combine(backups.Path, "nightly");

        var acknowledged = new ConcurrentQueue<string>();
        var startedAfterBackup = new ConcurrentQueue<string>();
        var backupAnswered = 0;
        string[] beforeBackup;
        JsonElement backup;
        await using (var node = await NodeProcess.StartAsync(original.Path, Ready, "--RateLimits:Enabled=false"))
        {
            var registry = new Registry.RegistryClient(node.Channel);
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var handle = $"{Prefix}/w{w}-{i:D6}";
                    var after = Volatile.Read(ref backupAnswered) == 1;
                    await registry.CreateHandleAsync(Values.Create(handle, Values.Url(1, "https://b.test/" + handle)));
                    acknowledged.Enqueue(handle);
                    if (after)
                    {
                        startedAfterBackup.Enqueue(handle);
                    }
                }
            })).ToArray();

            await WaitForAsync(() => acknowledged.Count >= 300, "300 writes before the backup");
            beforeBackup = [.. acknowledged];
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/backups") { Content = JsonContent.Create(new { directory = backupDirectory }) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", node.AdminToken);
            using var response = await node.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            backup = await response.Content.ReadFromJsonAsync<JsonElement>();
            Volatile.Write(ref backupAnswered, 1);

            await WaitForAsync(() => startedAfterBackup.Count >= 100, "100 writes after the backup");
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        var position = backup.GetProperty("feedPosition").GetInt64();
        var records = backup.GetProperty("records").GetInt64();
        var sha256 = backup.GetProperty("recordsSha256").GetString()!;

        var restore = await NodeProcess.RunCommandAsync(Ready, "restore", "--from", backupDirectory, "--to", Path.Combine(restoredData.Path, "store"));
        Assert.True(restore.ExitCode == 0, restore.Text);
        Assert.Contains($"change log position {position}, {records} records, SHA-256 {sha256}", restore.Output, StringComparison.Ordinal);

        await using (var restored = await NodeProcess.StartAsync(restoredData.Path, Ready))
        {
            var served = await ServedAsync(new Contracts.V1.Resolution.ResolutionClient(restored.Channel), [.. acknowledged]);
            var missing = beforeBackup.Where(h => !served.Contains(h)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {beforeBackup.Length} writes acknowledged before the backup are missing: {string.Join(", ", missing.Take(10))}");
            var later = startedAfterBackup.Where(served.Contains).ToList();
            Assert.True(later.Count == 0, $"{later.Count} writes begun after the backup was answered are in it: {string.Join(", ", later.Take(10))}");
        }

        Assert.Equal(new StoreDigest(position, records, sha256), StoreDigest.Of(Path.Combine(restoredData.Path, "store")));
    }

    [Fact]
    public async Task A_restore_from_something_that_is_no_complete_backup_is_refused_and_no_store_is_made()
    {
        using var empty = new TempDirectory();
        using var target = new TempDirectory();
        var store = Path.Combine(target.Path, "store");

        var refused = await NodeProcess.RunCommandAsync(Ready, "restore", "--from", empty.Path, "--to", store);
        var usage = await NodeProcess.RunCommandAsync(Ready, "restore", "--from", empty.Path);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("holds no manifest.json", refused.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(store));
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("Usage: IdResolution.Node restore --from", usage.Errors, StringComparison.Ordinal);
    }

    private static async Task<HashSet<string>> ServedAsync(Contracts.V1.Resolution.ResolutionClient resolution, string[] handles)
    {
        var served = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in handles.Chunk(1000))
        {
            var request = new ResolveBatchRequest();
            request.Handles.AddRange(chunk);
            var results = await resolution.ResolveBatchAsync(request);
            served.UnionWith(chunk.Where((_, i) => results.Results[i].ResponseCode == 1));
        }

        return served;
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not reached within 90 s: " + what);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
