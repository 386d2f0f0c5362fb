using System.Diagnostics;
using HdrHistogram;
using IdResolution.Core.Resolution;
using IdResolution.Core.Security;

namespace IdResolution.LoadTests;

/// <summary>
/// Concurrent workers that resolve random handles back to back. Every worker works out the same
/// warm-up and measurement deadlines up front, so no shared state is touched per resolution:
/// each has its own histogram and tallies, merged once all have stopped. A resolution counts as
/// measured when it both started and finished inside the measured period.
/// </summary>
internal sealed class LoadGenerator(Resolver resolver, IReadOnlyList<string> handles, int concurrency)
{
    // Latencies are recorded in Stopwatch ticks; anything slower than a minute is clamped.
    private static readonly long HighestTrackable = Stopwatch.Frequency * 60;
    private static readonly Caller Client = Caller.Anonymous("127.0.0.1");

    public async Task<LoadSample> RunAsync(TimeSpan warmup, TimeSpan measured, CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetTimestamp();
        var measureFrom = now + ToTicks(warmup);
        var measureUntil = measureFrom + ToTicks(measured);
        var workers = new Task<WorkerTally>[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            var seed = i;
            workers[i] = Task.Run(() => WorkAsync(seed, measureFrom, measureUntil, cancellationToken), cancellationToken);
        }

        var tallies = await Task.WhenAll(workers);
        var latency = new LongHistogram(HighestTrackable, 3);
        long resolutions = 0, failures = 0;
        string? firstFailure = null;
        foreach (var tally in tallies)
        {
            latency.Add(tally.Latency);
            resolutions += tally.Resolutions;
            failures += tally.Failures;
            firstFailure ??= tally.FirstFailure;
        }

        return new LoadSample(latency, resolutions, failures, firstFailure, measured);
    }

    private static long ToTicks(TimeSpan duration) => (long)(duration.TotalSeconds * Stopwatch.Frequency);

    private async Task<WorkerTally> WorkAsync(int seed, long measureFrom, long measureUntil, CancellationToken cancellationToken)
    {
        // Seeded per worker so that runs draw the same sequences of handles.
        var random = new Random(seed);
        var tally = new WorkerTally(new LongHistogram(HighestTrackable, 3));
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            if (started >= measureUntil)
            {
                break;
            }

            var handle = handles[random.Next(handles.Count)];
            string? failure;
            try
            {
                var outcome = await resolver.ResolveAsync(Client, handle, ValueFilter.All, authoritative: false, cancellationToken);
                failure = outcome.IsSuccess ? null : $"{handle}: {outcome.Code} {outcome.Message}";
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                failure = $"{handle}: {exception.GetType().Name} {exception.Message}";
            }

            var finished = Stopwatch.GetTimestamp();
            if (failure is not null)
            {
                tally.Failures++;
                tally.FirstFailure ??= failure;
            }
            else if (started >= measureFrom && finished <= measureUntil)
            {
                tally.Resolutions++;
                tally.Latency.RecordValue(Math.Min(finished - started, HighestTrackable));
            }
        }

        return tally;
    }

    private sealed class WorkerTally(LongHistogram latency)
    {
        public LongHistogram Latency { get; } = latency;

        public long Resolutions { get; set; }

        public long Failures { get; set; }

        public string? FirstFailure { get; set; }
    }
}

/// <summary>The merged result of one load run.</summary>
internal sealed record LoadSample(LongHistogram Latency, long Resolutions, long Failures, string? FirstFailure, TimeSpan Measured)
{
    public double PerSecond => Resolutions / Measured.TotalSeconds;

    public double PercentileMilliseconds(double percentile) =>
        Latency.TotalCount == 0 ? double.NaN : Latency.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
}
