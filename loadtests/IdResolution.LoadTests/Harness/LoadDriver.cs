using System.Diagnostics;
using System.Globalization;

namespace IdResolution.LoadTests.Harness;

/// <summary>One call of a scenario: <c>worker</c> is stable per caller (closed loop) and <c>sequence</c> counts calls, for drawing handles deterministically.</summary>
internal delegate Task<OperationResult> Operation(int worker, long sequence, CancellationToken cancellationToken);

/// <summary>
/// Puts load on a node: closed loop (N callers back to back; latency from each send) or open loop (a constant
/// arrival rate; latency from each call's intended send time). Calls count when they start after the warm-up
/// and before the end; a live progress line goes to stderr once a second.
/// </summary>
internal static class LoadDriver
{
    public static async Task<RunTally> ClosedLoopAsync(string name, Operation operation, int callers, TimeSpan warmup, TimeSpan measured, CancellationToken cancellationToken)
    {
        var measureFrom = Stopwatch.GetTimestamp() + Ticks(warmup);
        var measureUntil = measureFrom + Ticks(measured);
        var progress = new Progress();
        using var printer = progress.Print(name, measureFrom);
        var workers = new Task<RunTally>[callers];
        for (var w = 0; w < callers; w++)
        {
            var worker = w;
            workers[w] = Task.Run(async () =>
            {
                var tally = new RunTally();
                for (long sequence = 0; !cancellationToken.IsCancellationRequested; sequence++)
                {
                    var started = Stopwatch.GetTimestamp();
                    if (started >= measureUntil)
                    {
                        break;
                    }

                    var result = await CallAsync(operation, worker, sequence, cancellationToken);
                    var finished = Stopwatch.GetTimestamp();
                    progress.Add(result.Ok);
                    if (started >= measureFrom)
                    {
                        tally.Count(result);
                        tally.Latency.RecordTicks(started, finished);
                    }
                }

                return tally;
            }, cancellationToken);
        }

        var total = new RunTally();
        foreach (var tally in await Task.WhenAll(workers))
        {
            total.Add(tally);
        }

        return total;
    }

    /// <summary>
    /// Sends at <paramref name="rate"/> calls a second for warm-up plus measured time, each without waiting for
    /// earlier ones (at most <paramref name="maxOutstanding"/> outstanding; a call that finds the limit reached is
    /// sent as soon as one finishes, and its latency still counts from when it was due).
    /// </summary>
    public static async Task<RunTally> OpenLoopAsync(string name, Operation operation, double rate, int maxOutstanding, TimeSpan warmup, TimeSpan measured, CancellationToken cancellationToken)
    {
        var schedule = new OpenLoopSchedule(Stopwatch.GetTimestamp(), rate);
        var measureFrom = schedule.Start + Ticks(warmup);
        var measureUntil = measureFrom + Ticks(measured);
        var total = new RunTally();
        var progress = new Progress();
        using var printer = progress.Print(name, measureFrom);
        using var slots = new SemaphoreSlim(maxOutstanding, maxOutstanding);
        var running = new List<Task>();
        long next = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= measureUntil)
            {
                break;
            }

            for (var due = schedule.DueBy(now); next < due; next++)
            {
                var intended = schedule.IntendedAt(next);
                if (intended >= measureUntil)
                {
                    break;
                }

                await slots.WaitAsync(cancellationToken);
                var sequence = next;
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        var result = await CallAsync(operation, (int)(sequence % maxOutstanding), sequence, cancellationToken);
                        var finished = Stopwatch.GetTimestamp();
                        progress.Add(result.Ok);
                        if (intended >= measureFrom)
                        {
                            lock (total)
                            {
                                total.Count(result);
                                total.Latency.RecordTicks(intended, finished);
                            }
                        }
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, cancellationToken));
            }

            if (running.Count > 10_000)
            {
                running.RemoveAll(task => task.IsCompleted);
            }

            await Task.Delay(1, cancellationToken);
        }

        await Task.WhenAll(running);
        return total;
    }

    private static async Task<OperationResult> CallAsync(Operation operation, int worker, long sequence, CancellationToken cancellationToken)
    {
        try
        {
            return await operation(worker, sequence, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new OperationResult("error:" + exception.GetType().Name, false, 0, exception.Message);
        }
    }

    private static long Ticks(TimeSpan duration) => (long)(duration.TotalSeconds * Stopwatch.Frequency);

    private sealed class Progress
    {
        private long _ok;
        private long _failed;

        public void Add(bool ok)
        {
            if (ok)
            {
                Interlocked.Increment(ref _ok);
            }
            else
            {
                Interlocked.Increment(ref _failed);
            }
        }

        /// <summary>"name  4 s  52,311/s  errors 0", rewritten in place once a second while the run lasts.</summary>
        public Timer Print(string name, long measureFrom)
        {
            long last = 0;
            var started = Stopwatch.GetTimestamp();
            return new Timer(_ =>
            {
                var ok = Interlocked.Read(ref _ok);
                var phase = Stopwatch.GetTimestamp() < measureFrom ? "warm-up" : "measuring";
                Console.Error.Write(string.Create(CultureInfo.InvariantCulture,
                    $"\r{name,-18} {Stopwatch.GetElapsedTime(started).TotalSeconds,5:F0} s  {phase,-9} {ok - last,10:N0}/s  errors {Interlocked.Read(ref _failed):N0}   "));
                last = ok;
            }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
    }
}
