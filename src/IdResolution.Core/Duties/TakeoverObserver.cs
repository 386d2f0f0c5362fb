using IdResolution.Core.Security;
using IdResolution.Core.Storage;

namespace IdResolution.Core.Duties;

/// <summary>What changed when the parent's answer was observed: nothing, a takeover began, or it ended.</summary>
public enum TakeoverChange
{
    None,
    Observed,
    HandedBack,
}

/// <summary>
/// A child's view of its parent's takeover of it, from the parent's answers to its filings: in force or not,
/// kept as a cursor in the store so that a restart does not audit the same takeover again. Each change is
/// audited once: "takeover observed" when the parent first holds a filing, "handed back observed" when the
/// parent takes them again.
/// </summary>
public sealed class TakeoverObserver : IDisposable
{
    public const string CursorName = "takeover-observed";

    private readonly INodeState _state;
    private readonly IAuditLog _audit;
    private readonly string _parentPrefix;
    private readonly string _ownPrefix;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool? _takenOver;

    public TakeoverObserver(INodeState state, IAuditLog audit, string ownPrefix, string parentPrefix, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(ownPrefix);
        ArgumentNullException.ThrowIfNull(parentPrefix);
        ArgumentNullException.ThrowIfNull(time);
        _state = state;
        _audit = audit;
        _ownPrefix = ownPrefix;
        _parentPrefix = parentPrefix;
        _time = time;
    }

    /// <summary>Whether the parent holds this node under takeover as last observed; null before any answer.</summary>
    public bool? TakenOver => _takenOver;

    public void Dispose() => _gate.Dispose();

    /// <summary>Records what the parent's answer said (<paramref name="detail"/> is its message) and audits a change.</summary>
    public async ValueTask<TakeoverChange> ObserveAsync(bool takenOver, string detail, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var known = _takenOver ?? (await _state.ReadCursorAsync(CursorName, cancellationToken) ?? 0) == 1;
            _takenOver = takenOver;
            if (known == takenOver)
            {
                return TakeoverChange.None;
            }

            // Audited before the cursor moves: a crash between them audits the change again rather than never.
            var operation = takenOver ? "takeover_observed" : "hand_back_observed";
            var message = takenOver
                ? $"the parent {_parentPrefix} holds this node under takeover; filings and site refreshes wait until it hands the prefix back: {detail}"
                : $"the parent {_parentPrefix} handed the prefix back; held filings are sent now";
            await _audit.AppendAsync([new AuditEntry(_time.GetUtcNow(), "node (parent link)", "local", operation,
                "0.NA/" + _ownPrefix, _ownPrefix, (int)(takenOver ? HandleResponseCode.ServerBackup : HandleResponseCode.Success), message)], cancellationToken);
            await _state.WriteCursorAsync(CursorName, takenOver ? 1 : 0, cancellationToken);
            return takenOver ? TakeoverChange.Observed : TakeoverChange.HandedBack;
        }
        finally
        {
            _gate.Release();
        }
    }
}
