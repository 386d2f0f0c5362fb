namespace IdResolution.Cli.Output;

/// <summary>Reports progress on the reporting thread (Progress&lt;T&gt; posts to the thread pool and can reorder reports).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
