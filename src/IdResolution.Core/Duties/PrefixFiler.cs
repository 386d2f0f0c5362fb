using IdResolution.Core.Federation;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;

namespace IdResolution.Core.Duties;

/// <summary>
/// What one filing round did: how many filings were sent, whether to wait before the next, and what the parent's
/// answers said of a takeover of this node (true: held because the parent took this node over; false: taken; null: no answer).
/// </summary>
public readonly record struct FilingRound(int Sent, bool Idle, string? Failure, bool? TakenOver = null);

/// <summary>
/// Files this node's prefix handle changes with its parent: reads the store's change log from the last
/// position filed (a cursor in the store), keeps the changes of prefix handles of its own tree, and sends
/// them in order; the cursor moves only past what the parent answered. Only the instance that holds the
/// store's filing lease sends, so several instances over one store file each change once (and the parent
/// keeps only the newest version anyway). Every change is in the log before its write is acknowledged, so
/// a filing cannot be lost while the parent is unreachable: it waits in the log.
/// </summary>
public sealed class PrefixFiler
{
    public const string CursorName = "filing";
    public const string LeaseName = "filing";

    private readonly IChangeFeed _feed;
    private readonly INodeState _state;
    private readonly INodeLink _link;
    private readonly RemoteNode _parent;
    private readonly Jurisdiction _jurisdiction;
    private readonly HandleGrammar _grammar;
    private readonly FederationOptions _options;
    private readonly TimeProvider _time;
    private readonly string _owner = Guid.NewGuid().ToString("N");
    private long _backlog;
    private DateTimeOffset? _oldestUnsent;

    public PrefixFiler(IChangeFeed feed, INodeState state, INodeLink link, RemoteNode parent, Jurisdiction jurisdiction, HandleGrammar grammar,
        FederationOptions options, TimeProvider time, NodeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(jurisdiction);
        ArgumentNullException.ThrowIfNull(grammar);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        _feed = feed;
        _state = state;
        _link = link;
        _parent = parent;
        _jurisdiction = jurisdiction;
        _grammar = grammar;
        _options = options;
        _time = time;
        metrics.ObserveFiling(() => Interlocked.Read(ref _backlog), () => _oldestUnsent is { } oldest ? Math.Max(0, (_time.GetUtcNow() - oldest).TotalSeconds) : 0);
    }

    /// <summary>Change-log entries after the filed position, as last seen.</summary>
    public long Backlog => Interlocked.Read(ref _backlog);

    /// <summary>When the oldest change not yet filed was committed; null when everything is filed.</summary>
    public DateTimeOffset? OldestUnsent => _oldestUnsent;

    /// <summary>How long the lease is held between renewals: a crashed holder's lease runs out after this.</summary>
    public static TimeSpan LeaseDuration => TimeSpan.FromSeconds(15);

    /// <summary>One round: take or renew the lease, read the log after the cursor, file what concerns the parent, move the cursor.</summary>
    public async ValueTask<FilingRound> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!await _state.TryAcquireLeaseAsync(LeaseName, _owner, LeaseDuration, cancellationToken))
        {
            return new FilingRound(0, true, null);
        }

        var cursor = await _state.ReadCursorAsync(CursorName, cancellationToken) ?? 0;
        var page = await _feed.ReadChangesAsync(cursor, Math.Max(_options.FilingBatch * 4, 100), cancellationToken);
        var last = await _feed.LastChangePositionAsync(cancellationToken);
        Interlocked.Exchange(ref _backlog, Math.Max(0, last - cursor));
        if (page.Trimmed)
        {
            // The log no longer reaches back to the cursor: start again from the oldest entry it still has.
            // Nothing is lost for the parent, which keeps the newest version of each prefix handle, as long as
            // every prefix handle changed since is in what remains; the README states the retention to keep.
            page = await _feed.ReadChangesAsync(0, Math.Max(_options.FilingBatch * 4, 100), cancellationToken);
        }

        var filings = new List<(long Position, Filing Filing)>();
        foreach (var entry in page.Entries)
        {
            if (ToFiling(entry) is { } filing)
            {
                filings.Add((entry.Position, filing));
                if (filings.Count == _options.FilingBatch)
                {
                    break;
                }
            }
        }

        if (filings.Count == 0)
        {
            _oldestUnsent = null;
            if (page.Next != cursor)
            {
                await _state.WriteCursorAsync(CursorName, page.Next, cancellationToken);
            }

            Interlocked.Exchange(ref _backlog, Math.Max(0, last - page.Next));
            return new FilingRound(0, page.Entries.Count == 0, null);
        }

        _oldestUnsent = filings[0].Filing.ChangedAt;
        IReadOnlyList<FilingResult> results;
        try
        {
            results = await _link.FileAsync(_parent, [.. filings.Select(f => f.Filing)], cancellationToken);
        }
        catch (RemoteUnavailableException failure)
        {
            return new FilingRound(0, true, failure.Message);
        }

        // The cursor passes every filing the parent applied or already held, in order, and stops at the first
        // it did not: a busy parent, a child not (yet) admitted or suspended, a filing outside the prefix the
        // parent admitted. Nothing is skipped — it waits in the log, shows in the backlog, and goes when the
        // parent takes it (an operator admits or reinstates the child, or fixes its prefix).
        // A takeover by the parent holds them the same way: they go once the parent hands the prefix back.
        var through = cursor;
        string? failureText = null;
        bool? takenOver = results.Count > 0 ? false : null;
        for (var i = 0; i < results.Count && i < filings.Count; i++)
        {
            var result = results[i];
            if (result.Code != HandleResponseCode.Success)
            {
                failureText = $"{result.Handle} not taken by the parent ({(int)result.Code}): {result.Message}";
                takenOver = IsHeld(result);
                break;
            }

            through = filings[i].Position;
        }

        if (through != cursor)
        {
            // Past the last filing settled, and past the entries of other handles read after it when all were settled.
            var next = through == filings[^1].Position && failureText is null && filings.Count < _options.FilingBatch ? page.Next : through;
            await _state.WriteCursorAsync(CursorName, next, cancellationToken);
            Interlocked.Exchange(ref _backlog, Math.Max(0, last - next));
        }

        return new FilingRound(filings.Count, false, failureText, takenOver);
    }

    /// <summary>
    /// Files this node's own prefix handle <paramref name="own"/> as it stands, outside the log: the parent keeps it
    /// if it already has this version, so it changes nothing there, but the answer says whether the parent holds this
    /// node under takeover — which a node restarted with nothing new to file would otherwise not learn.
    /// </summary>
    public async ValueTask<FilingRound> CheckInAsync(HandleRecord own, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(own);
        var values = own.Values.Where(v => !Registrar.IsParentManaged(v.Type) || ValueDataFormats.HasType(v.Type, Security.ReservedTypes.PrefixStatus)).ToList();
        IReadOnlyList<FilingResult> results;
        try
        {
            results = await _link.FileAsync(_parent, [new Filing(own.Handle, own.Version, values, false, _time.GetUtcNow())], cancellationToken);
        }
        catch (RemoteUnavailableException failure)
        {
            return new FilingRound(0, true, failure.Message);
        }

        return results is [var result, ..]
            ? new FilingRound(1, true, result.Code == HandleResponseCode.Success ? null : $"{result.Handle} not taken by the parent ({(int)result.Code}): {result.Message}", IsHeld(result))
            : new FilingRound(1, true, null);
    }

    /// <summary>The parent's answer that it holds this node's filings because it took the node over (SERVER_BACKUP, marked).</summary>
    public static bool IsHeld(FilingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Code == HandleResponseCode.ServerBackup && result.Message.StartsWith(TakeoverMark.HeldMarker, StringComparison.Ordinal);
    }

    /// <summary>Gives the lease up (on shutdown), so another instance takes over at once.</summary>
    public ValueTask StopAsync(CancellationToken cancellationToken) => _state.ReleaseLeaseAsync(LeaseName, _owner, cancellationToken);

    /// <summary>A change of a prefix handle of this node's tree, as the parent takes it; null for anything else.</summary>
    private Filing? ToFiling(ChangeEntry entry)
    {
        if (!_grammar.TryParse(entry.Record?.Handle ?? entry.Key, out var id, out _) || !id.IsPrefixHandle
            || _jurisdiction.Decide(id) != Holding.Held)
        {
            return null;
        }

        var values = entry.Record?.Values.Where(v => !Registrar.IsParentManaged(v.Type) || ValueDataFormats.HasType(v.Type, Security.ReservedTypes.PrefixStatus)).ToList()
            ?? [];
        return new Filing(entry.Record?.Handle ?? id.Text, entry.Version, values, entry.IsDeletion, entry.CommittedAt);
    }
}
