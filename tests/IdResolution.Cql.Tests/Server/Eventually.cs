namespace IdResolution.Cql.Tests.Server;

/// <summary>Polls a condition with a generous deadline (only a hang should reach it); tests never sleep a fixed time.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Waits until <paramref name="condition"/> holds; <paramref name="step"/> runs between polls, e.g. to advance a fake clock.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, Action? step = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, step);

    /// <summary>As <see cref="UntilAsync(Func{bool}, string, Action?)"/>, for a condition that must be awaited.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, Action? step = null)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            step?.Invoke();
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
