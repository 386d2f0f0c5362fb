using System.Runtime.ExceptionServices;

namespace IdResolution.Storage.Cassandra;

/// <summary>Runs one asynchronous step per index with at most a given number in flight, as a fixed set of workers.</summary>
internal static class Bounded
{
    /// <summary>
    /// Calls <paramref name="step"/> for each index from 0 to <paramref name="count"/> - 1, at most <paramref name="concurrency"/> at once;
    /// every step runs even when another fails, and the first failure is thrown once all have finished.
    /// </summary>
    public static async Task ForEachAsync(int count, int concurrency, Func<int, Task> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var next = -1;
        var workers = new Task[Math.Clamp(concurrency, 1, Math.Max(1, count))];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = WorkAsync();
        }

        await Task.WhenAll(workers).ConfigureAwait(false);

        async Task WorkAsync()
        {
            List<Exception>? failures = null;
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                try
                {
                    await step(i).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    (failures ??= []).Add(exception);
                }
            }

            if (failures is not null)
            {
                if (failures.Count == 1)
                {
                    ExceptionDispatchInfo.Capture(failures[0]).Throw();
                }

                throw new AggregateException(failures);
            }
        }
    }
}
