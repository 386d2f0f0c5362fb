using System.Globalization;
using IdResolution.Core.Caching;
using IdResolution.Core.Escrow;
using IdResolution.Core.Federation;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Monitoring;
using IdResolution.Core.Registration;
using IdResolution.Core.Security;

namespace IdResolution.Core.Administration;

/// <summary>
/// The parent operator's emergency takeover of a child node and its hand-back. Declaring writes a
/// <see cref="TakeoverMark"/> on the child's prefix handle through the registrar (durable before it is
/// acknowledged, and it invalidates the cached prefix handle, so referrals change at once); from then on this
/// node refers the child's prefixes to itself, answers them read-only from its escrow copy and holds the
/// child's filings. Handing back keeps the mark, ended, as the record of what happened. Both are audited with
/// who and why, besides the registrar's own entry for the write.
/// </summary>
public sealed class TakeoverDesk
{
    /// <summary>Reason of a hand-back refused because no takeover is in force.</summary>
    public const string NotTakenOver = "NOT_TAKEN_OVER";

    /// <summary>Reason of a hand-back refused because the escrow copy is behind the child, or how far is not known.</summary>
    public const string EscrowBehind = "ESCROW_BEHIND";

    /// <summary>Reason of a takeover refused because this node keeps no escrow copies to answer from.</summary>
    public const string NoEscrowStore = "NO_ESCROW_STORE";

    private const int MaxReasonLength = 500;

    private readonly Registrar _registrar;
    private readonly CoalescingRecordSource _source;
    private readonly HandleGrammar _grammar;
    private readonly Jurisdiction _jurisdiction;
    private readonly IAuditLog _audit;
    private readonly IEscrowStore? _escrow;
    private readonly ChildHeartbeats? _heartbeats;
    private readonly TimeProvider _time;

    public TakeoverDesk(Registrar registrar, CoalescingRecordSource source, HandleGrammar grammar, Jurisdiction jurisdiction, IAuditLog audit,
        IEscrowStore? escrow, ChildHeartbeats? heartbeats, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(grammar);
        ArgumentNullException.ThrowIfNull(jurisdiction);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        _registrar = registrar;
        _source = source;
        _grammar = grammar;
        _jurisdiction = jurisdiction;
        _audit = audit;
        _escrow = escrow;
        _heartbeats = heartbeats;
        _time = time;
    }

    /// <summary>Declares the child of <paramref name="prefix"/> taken over, for <paramref name="reason"/>.</summary>
    public async ValueTask<Outcome<TakeoverStatus>> DeclareAsync(Caller caller, string prefix, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var child = await ChildAsync(caller, prefix, cancellationToken);
        if (!child.IsSuccess)
        {
            return child.Cast<TakeoverStatus>();
        }

        var (bare, record) = child.Value;
        reason = reason?.Trim() ?? string.Empty;
        Outcome<TakeoverStatus> result;
        if (reason.Length is 0 or > MaxReasonLength || reason.Any(char.IsControl))
        {
            result = Outcome<TakeoverStatus>.Fail(HandleResponseCode.InvalidValue,
                $"give the takeover a reason of 1 to {MaxReasonLength} characters without control characters, such as \"node down since 02:10, disk lost\"");
        }
        else if (_escrow is null)
        {
            result = Outcome<TakeoverStatus>.Fail(HandleResponseCode.OperationNotSupported,
                $"this node keeps no escrow copies (no escrow store is configured), so it could not answer for node {bare}; configure the escrow before declaring a takeover",
                NoEscrowStore);
        }
        else if (record.Find(TakeoverMark.Index) is { } other && !Records.ValueDataFormats.HasType(other.Type, TakeoverMark.Type))
        {
            result = Outcome<TakeoverStatus>.Fail(HandleResponseCode.ValueAlreadyExists, string.Create(CultureInfo.InvariantCulture,
                $"index {TakeoverMark.Index} of '{record.Handle}' holds a {other.Type} value that the takeover would overwrite; move or remove it first"));
        }
        else if (TakeoverMark.Read(bare, record) is { InForce: true } current)
        {
            result = Outcome<TakeoverStatus>.Fail(HandleResponseCode.ValueAlreadyExists, string.Create(CultureInfo.InvariantCulture,
                $"node {bare} is already under takeover, declared {current.DeclaredAt:yyyy-MM-dd'T'HH:mm:ss'Z'} by {current.DeclaredBy}: {current.Reason}"));
        }
        else
        {
            var mark = new TakeoverMark(bare, true, Now(), caller.Name, reason);
            result = await WriteAsync(caller, bare, mark, cancellationToken);
        }

        await AuditAsync(caller, "takeover_declare", bare, result, reason, cancellationToken);
        return result;
    }

    /// <summary>
    /// Hands the prefix of <paramref name="prefix"/> back to its node. Refused unless a takeover is in force,
    /// and, unless <paramref name="force"/>, while the escrow copy is behind the child or how far is not known:
    /// the child's last change-log position must be known and applied here, so nothing the node acknowledged
    /// during the outage is missing from what was served.
    /// </summary>
    public async ValueTask<Outcome<TakeoverStatus>> HandBackAsync(Caller caller, string prefix, string? reason, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var child = await ChildAsync(caller, prefix, cancellationToken);
        if (!child.IsSuccess)
        {
            return child.Cast<TakeoverStatus>();
        }

        var (bare, record) = child.Value;
        reason = reason?.Trim() ?? string.Empty;
        Outcome<TakeoverStatus> result;
        if (reason.Length > MaxReasonLength || reason.Any(char.IsControl))
        {
            result = Outcome<TakeoverStatus>.Fail(HandleResponseCode.InvalidValue, $"a hand-back reason has at most {MaxReasonLength} characters and no control characters");
        }
        else if (TakeoverMark.Read(bare, record) is not { InForce: true } current)
        {
            result = Outcome<TakeoverStatus>.Fail(HandleResponseCode.ValuesNotFound,
                $"node {bare} is not under takeover; only a node taken over (POST /v1/admin/nodes/{bare}/takeover) can be handed back", NotTakenOver);
        }
        else
        {
            var lag = await LagAsync(bare, cancellationToken);
            if (!force && lag.Lag is not 0)
            {
                result = Outcome<TakeoverStatus>.Fail(HandleResponseCode.Error, lag.Lag is { } behind
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"the escrow copy of node {bare} is {behind} change(s) behind the node (applied {lag.Applied}, node at {lag.Child}); hand back once it caught up, or with force=true to accept that they are lost from what was served")
                    : $"how far the escrow copy of node {bare} is behind the node is not known ({lag.Why}); hand back once the node reports its position and the copy caught up, or with force=true",
                    EscrowBehind);
            }
            else
            {
                var ended = current with { InForce = false, HandedBackAt = Now(), HandedBackBy = caller.Name, HandBackReason = reason, Forced = force && lag.Lag is not 0 };
                result = await WriteAsync(caller, bare, ended, cancellationToken);
            }
        }

        await AuditAsync(caller, force ? "takeover_hand_back_forced" : "takeover_hand_back", bare, result, reason, cancellationToken);
        return result;
    }

    /// <summary>The takeover of the child of <paramref name="prefix"/> (its mark, null when never taken over) and the escrow lag.</summary>
    public async ValueTask<Outcome<TakeoverStatus>> GetAsync(Caller caller, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var child = await ChildAsync(caller, prefix, cancellationToken);
        if (!child.IsSuccess)
        {
            return child.Cast<TakeoverStatus>();
        }

        var (bare, record) = child.Value;
        return Outcome<TakeoverStatus>.Ok(await StatusAsync(bare, TakeoverMark.Read(bare, record), cancellationToken));
    }

    private async ValueTask<Outcome<(string Bare, Records.HandleRecord Record)>> ChildAsync(Caller caller, string prefix, CancellationToken cancellationToken)
    {
        if (AuthorizationPolicy.AuthorizeAdministration(caller) is { } denied)
        {
            return denied.As<(string, Records.HandleRecord)>();
        }

        var bare = PrefixAuthority.Bare(prefix ?? string.Empty);
        if (!_grammar.TryParsePrefix(bare, out var key, out var error))
        {
            return Outcome<(string, Records.HandleRecord)>.Fail(HandleResponseCode.InvalidHandle, $"'{prefix}' is not a valid prefix: {_grammar.Describe(error)}");
        }

        // From the store, not a cache: the decision is about what is durable now.
        var record = _jurisdiction.DecidePrefix(key) == Holding.Held && _grammar.TryParse(HandleId.NamingAuthorityPrefix + "/" + key, out var id, out _)
            ? await _source.GetFromStoreAsync(id.Key, cancellationToken)
            : null;
        if (record is null || !NodeDelegation.IsDelegated(record))
        {
            return Outcome<(string, Records.HandleRecord)>.Fail(HandleResponseCode.HandleNotFound,
                $"no child node is admitted for prefix {bare} on this node; only an admitted child can be taken over");
        }

        return Outcome<(string, Records.HandleRecord)>.Ok((record.Handle[(HandleId.NamingAuthorityPrefix.Length + 1)..], record));
    }

    private async ValueTask<Outcome<TakeoverStatus>> WriteAsync(Caller caller, string bare, TakeoverMark mark, CancellationToken cancellationToken)
    {
        var written = await _registrar.UpdateAsync(caller, new UpdateRequest(HandleId.NamingAuthorityPrefix + "/" + bare, [mark.ToValue()], []), cancellationToken);
        return written.IsSuccess
            ? Outcome<TakeoverStatus>.Ok(await StatusAsync(bare, TakeoverMark.Read(bare, written.Value.Record), cancellationToken))
            : written.Cast<TakeoverStatus>();
    }

    private async ValueTask<TakeoverStatus> StatusAsync(string bare, TakeoverMark? mark, CancellationToken cancellationToken)
    {
        var lag = await LagAsync(bare, cancellationToken);
        return new TakeoverStatus(bare, mark, lag.Applied, lag.Child, lag.Lag);
    }

    /// <summary>Escrow applied position, the child's last reported position, and the lag; the lag null (with why) while either is unknown.</summary>
    private async ValueTask<(long? Applied, long? Child, long? Lag, string Why)> LagAsync(string bare, CancellationToken cancellationToken)
    {
        if (_escrow is null)
        {
            return (null, null, null, "no escrow store is configured");
        }

        var position = await _escrow.PositionAsync(bare, cancellationToken);
        long? applied = position.DumpOpen ? null : position.Applied;
        long? child = _heartbeats?.StatusOf(bare).Figures?.FeedLastPosition;
        if (applied is null)
        {
            return (null, child, null, "the escrow copy is being rebuilt from a dump");
        }

        return child switch
        {
            null => (applied, null, null, "no heartbeat from the node since this node started"),
            // Behind the copy: the node's log restarted (restored from an older backup); the copy is rebuilt from a
            // dump, and until then how far apart they are is not known.
            { } last when last < applied.Value => (applied, child, null, "the node's change log ends before the escrow's applied position (restored from an older backup?); the copy is rebuilt from a dump first"),
            { } last => (applied, child, last - applied.Value, string.Empty),
        };
    }

    private async ValueTask AuditAsync(Caller caller, string operation, string bare, Outcome<TakeoverStatus> result, string reason, CancellationToken cancellationToken)
    {
        var message = result.IsSuccess ? reason : result.Message;
        await _audit.AppendAsync([new AuditEntry(_time.GetUtcNow(), caller.Name, caller.ClientAddress, operation,
            HandleId.NamingAuthorityPrefix + "/" + bare, bare, (int)result.Code, message)], cancellationToken);
    }

    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds());
}
