using IdResolution.Federation.Resilience;
using IdResolution.Federation.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdResolution.Federation.Tests;

/// <summary>A node's pipelines are built once whatever the race between its first calls.</summary>
public sealed class PipelineBuildTests
{
    [Fact]
    public async Task First_calls_to_a_node_racing_on_every_kind_of_pipeline_all_get_pipelines_over_one_circuit()
    {
        var settings = new PipelineSettings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 16, 0.5, 10, TimeSpan.FromSeconds(30),
            TimeSpan.FromSeconds(5), 2, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200));
        using var metrics = new LinkMetrics(null, () => []);
        using var pipelines = new NodePipelines(settings, TimeProvider.System, metrics, new NodeTags(100), NullLogger.Instance);

        // Each node's first calls start together on every kind of pipeline, as a burst of resolves, a
        // filing and a heartbeat do when a node starts; a second circuit over the node's breaker state threw.
        for (var node = 0; node < 200; node++)
        {
            var id = $"88.{node}";
            using var start = new Barrier(6);
            var builds = Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            {
                start.SignalAndWait(TestContext.Current.CancellationToken);
                _ = (i % 3) switch
                {
                    0 => (object)pipelines.Answers(id),
                    1 => pipelines.Filings(id),
                    _ => pipelines.Heartbeats(id),
                };
            }, TestContext.Current.CancellationToken));
            await Task.WhenAll(builds);
            Assert.NotNull(pipelines.Find(id)?.Circuit);
        }
    }
}
