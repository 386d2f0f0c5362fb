using System.Globalization;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.LoadTests.Harness;

/// <summary>
/// The federation scenario (hot resolves of one secondary's identifiers through another): starts its own top level
/// and secondaries A and B, seeds A with identifiers under 88.709 and B with as many under 88.710, resolves each once
/// at B, then measures at B both B's own hot resolve (the baseline) and the resolve of A's identifiers, which B
/// answers from the referral and the answer it cached on the first lookup.
/// </summary>
internal static class FederationRun
{
    /// <summary>Resolutions of other nodes' handles B answered by calling the remote node rather than from its cache.</summary>
    private const string RemoteAnswers = "idres_federation_answers_total";

    public static async Task<int> RunAsync(HarnessOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var hierarchy = await LocalHierarchy.StartAsync(cancellationToken);
        var a = hierarchy[HierarchyPlan.SecondaryA];
        var b = hierarchy[HierarchyPlan.SecondaryB];
        var foreign = new Dataset(options.Handles, a.Node.Prefix);
        var own = new Dataset(options.Handles, b.Node.Prefix);
        await DatasetSeeder.SeedAsync(a.Channel, a.Auth, foreign, HierarchyPlan.SecondaryA, cancellationToken);
        await DatasetSeeder.SeedAsync(b.Channel, b.Auth, own, HierarchyPlan.SecondaryB, cancellationToken);

        // Every identifier once at B, so that both scenarios measure answers from B's caches, not the first lookups
        // that a Zipf warm-up leaves for its rarely drawn handles (a local store read for B's, a call to A for A's).
        await DatasetSeeder.PrimeAsync(b.Channel, own, "B's identifiers at B", cancellationToken);
        await DatasetSeeder.PrimeAsync(b.Channel, foreign, "A's identifiers through B", cancellationToken);
        var remoteBefore = await RemoteAnswersAsync(b, cancellationToken);
        var exit = await NodeHarness.RunAsync(
            options with { Target = b.Node.Http, Grpc = b.Node.Grpc, Password = b.Password, Scenarios = ["federation"], Seed = false },
            own,
            foreign,
            cancellationToken);

        // The proof that the measured resolves were hot: how many of them still went to A.
        var remote = await RemoteAnswersAsync(b, cancellationToken) - remoteBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"answers B fetched from A during warm-up and measurement: {remote:N0}"));
        return exit;
    }

    private static async Task<double> RemoteAnswersAsync(NodeProcessRun node, CancellationToken cancellationToken) =>
        PrometheusText.Sum(await node.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken), RemoteAnswers, "source=\"remote\"");
}
