using System.Diagnostics;

namespace IdResolution.Caching.Redis.Tests.Support;

/// <summary>Waits for a condition with a deadline: the tests watch other processes and threads, never sleep a fixed time.</summary>
internal static class Poll
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Deadline;
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                Assert.Fail($"gave up after {limit.TotalSeconds} s waiting until {what}");
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? deadline = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, deadline);
}
