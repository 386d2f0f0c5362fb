using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using IdResolution.Contracts.V1;
using IdResolution.Core.Composition;
using IdResolution.Node.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdResolution.Node.Tests;

/// <summary>
/// JSON type confusion on every JSON surface (gRPC-JSON, administration, token, Handle REST): every
/// field of a valid example given a string, number, out-of-range number, null, boolean, object or
/// array where it expects another type (<see cref="JsonTypeConfusion"/>). No answer may be a 5xx, and
/// a refused request leaves every record its worker may touch as it was. Three requests in four carry
/// the administrator's token, so authorisation does not stop a body before it is parsed; the rest are
/// anonymous. The seed is random per run, named in every failure, and replayed with
/// <c>IDRES_FUZZ_SEED=&lt;seed&gt;</c>; each worker owns its targets and its share of the requests, so
/// a replay sends the same requests to the same records in the same order.
/// </summary>
public sealed partial class JsonTypeConfusionTests : IDisposable
{
    private const int Requests = 50_000;
    private const int Workers = 8;

    [Fact]
    public async Task Every_field_of_every_json_surface_given_the_wrong_type_is_refused_without_a_server_error_or_a_change()
    {
        var seed = FuzzSeed.Pick();
        var output = TestContext.Current.TestOutputHelper;
        var cancel = TestContext.Current.CancellationToken;
        await using var factory = new NodeFactory().With("RateLimits:Enabled", "false");
        var core = factory.Services.GetRequiredService<CoreServices>();
        using var admin = factory.CreateAdminClient();
        using var anonymous = factory.CreateClient();

        var targets = Enumerable.Range(0, Workers).Select(FuzzTargets.ForWorker).ToArray();
        foreach (var target in targets)
        {
            await PrepareAsync(factory, target);
        }

        await ExamplesAreUnderstoodAsync(admin, targets[0], cancel);

        var slots = JsonTypeConfusion.Slots(JsonSurfaces.All);
        var order = Enumerable.Range(0, slots.Count).ToArray();
        new Random(seed).Shuffle(order);

        var failures = new ConcurrentQueue<(string Signature, JsonKind Kind, string Text)>();
        var tally = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var target = targets[worker];
            for (var i = worker; i < Requests; i += Workers)
            {
                var slot = slots[order[i % slots.Count]];
                var random = new Random(unchecked((seed * 1_000_003) + i));
                var asAdmin = random.Next(4) != 0;
                var (path, body, replacement) = JsonTypeConfusion.Apply(slot, target, random);
                var before = await SnapshotAsync(core, target);
                using var request = new HttpRequestMessage(new HttpMethod(slot.Example.Method), path);
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                }

                using var response = await (asAdmin ? admin : anonymous).SendAsync(request, cancel);
                var status = (int)response.StatusCode;
                tally.AddOrUpdate($"{slot.Example.Surface} {status}", 1, (_, n) => n + 1);
                var what = $"request {i} [{slot.Example.Surface}] {slot.Example.Method} {path} as {(asAdmin ? "admin" : "anonymous")}, {slot.Where} := {replacement}";
                // Array positions are left out, so one defect reached through many elements is listed once.
                var signature = $"[{slot.Example.Surface}] {ArrayPositions().Replace(slot.Where, "[*]")}";
                if (status >= 500)
                {
                    failures.Enqueue((signature + " -> " + status, slot.Kind, $"{what} -> HTTP {status}: {Truncate(await response.Content.ReadAsStringAsync(cancel))}"));
                }
                else if (status >= 400 && await SnapshotAsync(core, target) is var after && !after.SequenceEqual(before))
                {
                    failures.Enqueue((signature + " -> changed by a refused request", slot.Kind, $"{what} -> HTTP {status} but changed {string.Join(", ", Changed(target, before, after))}"));
                }
            }
        }, cancel)));

        output?.WriteLine($"{Requests} requests over {slots.Count} slots in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var (answer, count) in tally.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            output?.WriteLine($"  {count,7} {answer}");
        }

        Assert.True(failures.IsEmpty, Describe(seed, failures));
    }

    /// <summary>The one backup the backup example takes is not left behind in the temporary directory.</summary>
    public void Dispose()
    {
        if (Directory.Exists(JsonSurfaces.BackupDirectory))
        {
            Directory.Delete(JsonSurfaces.BackupDirectory, recursive: true);
        }
    }

    /// <summary>The unmutated examples are valid requests, so the mutations test the parsing of each field and not an early refusal.</summary>
    private static async Task ExamplesAreUnderstoodAsync(HttpClient admin, FuzzTargets target, CancellationToken cancel)
    {
        foreach (var example in JsonSurfaces.All)
        {
            var query = example.Query.Count == 0 ? string.Empty : "?" + string.Join('&', example.Query.Select(p => p.Key + "=" + Uri.EscapeDataString(target.Fill(p.Value))));
            using var request = new HttpRequestMessage(new HttpMethod(example.Method), target.Fill(example.Path) + query);
            if (example.Body is not null)
            {
                request.Content = new StringContent(target.Fill(example.Body), Encoding.UTF8, "application/json");
            }

            using var response = await admin.SendAsync(request, cancel);
            // The state may refuse it (409 for an account that exists), the body must not be.
            var status = (int)response.StatusCode;
            Assert.True(status < 400 || status is 404 or 409, $"the example of {example.Surface} is refused: {status} {await response.Content.ReadAsStringAsync(cancel)}");
        }
    }

    /// <summary>The worker's account, prefix and records exist, so updates, suspensions and deletes have something to act on.</summary>
    private static async Task PrepareAsync(NodeFactory factory, FuzzTargets target)
    {
        var administration = new Administration.AdministrationClient(factory.Channel);
        await administration.CreateAccountAsync(new CreateAccountRequest { Name = target.Account, Password = "tc-password-1" });
        await administration.AllocatePrefixAsync(new AllocatePrefixRequest { Prefix = target.Prefix, Owner = target.Account });
        foreach (var handle in new[] { target.Handle, target.Second, target.Third })
        {
            await factory.Registry.CreateHandleAsync(Values.Create(handle, Values.Url(1, "https://tc.test/" + handle)));
        }
    }

    /// <summary>The stored version of each record the worker may change (0 when absent); any write changes it.</summary>
    private static async Task<long[]> SnapshotAsync(CoreServices core, FuzzTargets target)
    {
        var versions = new long[target.Records.Count];
        for (var i = 0; i < versions.Length; i++)
        {
            Assert.True(core.Grammar.TryParse(target.Records[i], out var id, out _));
            versions[i] = (await core.Store.GetAsync(id.Key, CancellationToken.None))?.Version ?? 0;
        }

        return versions;
    }

    private static IEnumerable<string> Changed(FuzzTargets target, long[] before, long[] after) =>
        Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).Select(i => target.Records[i]);

    /// <summary>Each distinct failure (surface, field, outcome) once, with its count and the kinds that caused it, then the seed to replay them.</summary>
    private static string Describe(int seed, IEnumerable<(string Signature, JsonKind Kind, string Text)> failures)
    {
        var all = failures.ToList();
        var distinct = all.GroupBy(f => f.Signature, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count(),5} x {g.Key} ({string.Join(", ", g.Select(f => f.Kind).Distinct().Order())}), e.g. {g.First().Text}");
        return $"{all.Count} of {Requests} requests failed (seed {seed}; replay with {FuzzSeed.Variable}={seed}):{Environment.NewLine}{string.Join(Environment.NewLine, distinct)}";
    }

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex ArrayPositions();

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "..." : text;
}
