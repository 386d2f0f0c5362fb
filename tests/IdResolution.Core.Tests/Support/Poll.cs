using System.Diagnostics;

namespace IdResolution.Core.Tests.Support;

/// <summary>Waits for a condition with a deadline, for the few tests that must watch other threads.</summary>
internal static class Poll
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Deadline)
            {
                Assert.Fail($"gave up after {Deadline.TotalSeconds} s waiting until {what}");
            }

            await Task.Yield();
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
    }
}
