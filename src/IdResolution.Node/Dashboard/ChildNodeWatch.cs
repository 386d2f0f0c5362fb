using IdResolution.Contracts.V1;
using IdResolution.Core.Composition;
using IdResolution.Core.Security;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// The admitted children and their status lines, read at most every few seconds however many pages,
/// scripts and scrapes ask (listing walks every prefix handle the node stores). Read as the node itself.
/// </summary>
internal sealed class ChildNodeWatch(CoreServices core, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    private static readonly Caller Reader = Caller.Administrator("node status", "local");

    private readonly object _gate = new();
    private (DateTimeOffset ReadAt, Task<IReadOnlyList<ChildNodeStatus>> Children)? _reading;
    private IReadOnlyList<ChildNodeStatus> _last = [];

    /// <summary>The children as last read, read again first when that is older than the lifetime.</summary>
    public Task<IReadOnlyList<ChildNodeStatus>> CurrentAsync()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_reading is not { } reading || now - reading.ReadAt >= Lifetime)
            {
                reading = (now, ListAsync());
                _reading = reading;
            }

            return reading.Children;
        }
    }

    /// <summary>How many children are in each status, as last read (starting a new read when it is stale, without waiting for it).</summary>
    public IReadOnlyDictionary<string, int> CountsByStatus()
    {
        var current = CurrentAsync();
        var children = current.IsCompletedSuccessfully ? current.Result : Volatile.Read(ref _last);
        return children.GroupBy(c => c.Status, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    private async Task<IReadOnlyList<ChildNodeStatus>> ListAsync()
    {
        try
        {
            var listed = await core.Nodes.ListAsync(Reader, CancellationToken.None);
            if (!listed.IsSuccess)
            {
                return Volatile.Read(ref _last);
            }

            IReadOnlyList<ChildNodeStatus> children = [.. listed.Value.Select(ChildStatuses.Of)];
            Volatile.Write(ref _last, children);
            return children;
        }
#pragma warning disable CA1031 // A store hiccup keeps the last list for one lifetime; the rest of the status still answers.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Volatile.Read(ref _last);
        }
    }
}
