using System.Globalization;
using IdResolution.Core.Federation;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;
using IdResolution.Core.Caching;

namespace IdResolution.Core.Registration;

/// <summary>
/// The registration path: validate, then a conditional store write (re-read and retried when
/// another writer of the same handle got there first), then cache invalidation. Single writes and
/// batches run through the same loop, so a batch is just many independent writes sent together.
/// </summary>
public sealed partial class Registrar
{
    private readonly HandleGrammar _grammar;
    private readonly RecordValidator _validator;
    private readonly IHandleStore _store;
    private readonly CoalescingRecordSource _source;
    private readonly VersionClock _versions;
    private readonly TimeProvider _time;
    private readonly NodeMetrics _metrics;
    private readonly RegistryOptions _options;
    private readonly AuthorizationPolicy _policy;
    private readonly IAuditLog _audit;
    private readonly Jurisdiction _jurisdiction;

    public Registrar(HandleGrammar grammar, RecordValidator validator, IHandleStore store, CoalescingRecordSource source,
        VersionClock versions, TimeProvider time, NodeMetrics metrics, RegistryOptions options, AuthorizationPolicy policy, IAuditLog audit, Jurisdiction jurisdiction)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(jurisdiction);
        _policy = policy;
        _audit = audit;
        _jurisdiction = jurisdiction;
        ArgumentNullException.ThrowIfNull(grammar);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(options);
        _grammar = grammar;
        _validator = validator;
        _store = store;
        _source = source;
        _versions = versions;
        _time = time;
        _metrics = metrics;
        _options = options;
    }

    public RegistryOptions Options => _options;

    public async ValueTask<Outcome<WriteReceipt>> CreateAsync(Caller caller, CreateRequest request, CancellationToken cancellationToken) =>
        (await CreateBatchAsync(caller, [request], cancellationToken))[0];

    public async ValueTask<Outcome<WriteReceipt>> UpdateAsync(Caller caller, UpdateRequest request, CancellationToken cancellationToken) =>
        (await UpdateBatchAsync(caller, [request], cancellationToken))[0];

    public async ValueTask<Outcome<WriteReceipt>> DeleteAsync(Caller caller, string handle, CancellationToken cancellationToken) =>
        (await DeleteBatchAsync(caller, [handle], cancellationToken))[0];

    public ValueTask<Outcome<WriteReceipt>> AddValuesAsync(Caller caller, string handle, IReadOnlyList<HandleValue> values, CancellationToken cancellationToken) =>
        SingleAsync(caller, handle, "add_values", _validator.CheckValues(values), current => ChangeValues.Add(current, values), cancellationToken);

    public ValueTask<Outcome<WriteReceipt>> ModifyValuesAsync(Caller caller, string handle, IReadOnlyList<HandleValue> values, CancellationToken cancellationToken) =>
        SingleAsync(caller, handle, "modify_values", _validator.CheckValues(values), current => ChangeValues.Modify(current, values), cancellationToken);

    public ValueTask<Outcome<WriteReceipt>> RemoveValuesAsync(Caller caller, string handle, IReadOnlyList<int> indexes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        var refusal = indexes.Count == 0 ? Refusal.InvalidValue("no indexes were given") : (Refusal?)null;
        return SingleAsync(caller, handle, "remove_values", refusal, current => ChangeValues.Update(current, [], indexes), cancellationToken);
    }

    public ValueTask<IReadOnlyList<Outcome<WriteReceipt>>> CreateBatchAsync(Caller caller, IReadOnlyList<CreateRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return RunAsync(caller, requests.Count, i => Plan(requests[i].Handle, "create", _validator.CheckRecord(requests[i].Values),
            current => ChangeValues.Create(current, requests[i].Values, requests[i].Overwrite)), cancellationToken);
    }

    public ValueTask<IReadOnlyList<Outcome<WriteReceipt>>> UpdateBatchAsync(Caller caller, IReadOnlyList<UpdateRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return RunAsync(caller, requests.Count, i =>
        {
            var request = requests[i];
            var refusal = request.Values.Count == 0 && request.RemoveIndexes.Count == 0
                ? Refusal.InvalidValue("the update names no values to set and no indexes to remove")
                : request.Values.Count == 0 ? null : _validator.CheckValues(request.Values);
            return Plan(request.Handle, "update", refusal, current => ChangeValues.Update(current, request.Values, request.RemoveIndexes));
        }, cancellationToken);
    }

    public ValueTask<IReadOnlyList<Outcome<WriteReceipt>>> DeleteBatchAsync(Caller caller, IReadOnlyList<string> handles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handles);
        return RunAsync(caller, handles.Count, i => Plan(handles[i], "delete", null, ChangeValues.Delete), cancellationToken);
    }

    /// <summary>Refuses a batch larger than the configured bound, before any item is looked at.</summary>
    public Refusal? CheckBatchSize(int count) => count > _options.MaxWriteBatch
        ? new Refusal(HandleResponseCode.ProtocolError, string.Create(CultureInfo.InvariantCulture, $"the batch holds {count} items; at most {_options.MaxWriteBatch} are allowed per call"))
        : null;

    public async ValueTask<Outcome<HandleListing>> ListAsync(Caller caller, string prefix, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var allowed = await AuthorizeListingAsync(caller, prefix, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Cast<HandleListing>();
        }

        var prefixKey = allowed.Value;
        if (pageSize < 0)
        {
            return Outcome<HandleListing>.Fail(HandleResponseCode.ProtocolError, "the page size cannot be negative");
        }

        string? afterKey = null;
        if (!string.IsNullOrEmpty(pageToken) && !PageToken.TryDecode(pageToken, prefixKey, out afterKey))
        {
            return Outcome<HandleListing>.Fail(HandleResponseCode.ProtocolError, "the page token is not one this listing handed out; start again without it");
        }

        var size = Math.Min(pageSize == 0 ? _options.DefaultPageSize : pageSize, _options.MaxPageSize);
        var page = await _store.ListAsync(prefixKey, afterKey, size, cancellationToken);
        var handles = new string[page.Handles.Count];
        for (var i = 0; i < handles.Length; i++)
        {
            handles[i] = page.Handles[i].Handle;
        }

        var next = page.NextAfterKey is null ? null : PageToken.Encode(page.NextAfterKey);
        return Outcome<HandleListing>.Ok(new HandleListing(prefixKey, handles, next));
    }

    /// <summary>
    /// How many handles are stored under a prefix, authorised as a listing. The store keeps the number,
    /// so a page-numbered listing need not read the whole prefix to say how many pages there are.
    /// </summary>
    public async ValueTask<Outcome<long>> CountAsync(Caller caller, string prefix, CancellationToken cancellationToken)
    {
        var allowed = await AuthorizeListingAsync(caller, prefix, cancellationToken);
        return allowed.IsSuccess
            ? Outcome<long>.Ok(await _store.CountAsync(allowed.Value, cancellationToken))
            : allowed.Cast<long>();
    }

    /// <summary>The key of <paramref name="prefix"/> when the caller may list it.</summary>
    private async ValueTask<Outcome<string>> AuthorizeListingAsync(Caller caller, string prefix, CancellationToken cancellationToken)
    {
        if (!_grammar.TryParsePrefix(prefix, out var prefixKey, out var error))
        {
            return Outcome<string>.Fail(HandleResponseCode.InvalidHandle, $"'{prefix}' is not a valid prefix: {_grammar.Describe(error)}");
        }

        // The node's own directories (prefix handles, accounts) list here too; any other prefix only where it is held.
        if (prefixKey is not HandleId.NamingAuthorityPrefix and not ReservedTypes.AccountPrefix && _jurisdiction.DecidePrefix(prefixKey) == Holding.NotHeld)
        {
            return _jurisdiction.NotResponsible(prefix).As<string>();
        }

        return await _policy.AuthorizeListAsync(caller, prefixKey, cancellationToken) is { } denied
            ? denied.As<string>()
            : Outcome<string>.Ok(prefixKey);
    }

    private async ValueTask<Outcome<WriteReceipt>> SingleAsync(Caller caller, string handle, string operation, Refusal? refusal,
        Func<HandleRecord?, Change> change, CancellationToken cancellationToken) =>
        (await RunAsync(caller, 1, _ => Plan(handle, operation, refusal, change), cancellationToken))[0];

    private Planned Plan(string handle, string operation, Refusal? refusal, Func<HandleRecord?, Change> change)
    {
        if (!_grammar.TryParse(handle, out var id, out var syntaxError))
        {
            return new Planned(null, handle ?? string.Empty, operation, new Refusal(HandleResponseCode.InvalidHandle, _grammar.Describe(syntaxError)), change);
        }

        // Decided before anything else, so not even an administrator's write can make this node the authority of another node's handle.
        if (_jurisdiction.Decide(id) == Holding.NotHeld)
        {
            return new Planned(id, handle, operation, _jurisdiction.NotResponsible(id.Text), change);
        }

        return new Planned(id, handle, operation, refusal, change);
    }

    /// <summary>The takeover in force over a child's handle (not a prefix handle: those stay this node's), or null.</summary>
    private async ValueTask<TakeoverMark?> TakenOverAsync(HandleId? id, CancellationToken cancellationToken) =>
        id is null ? null : (await _jurisdiction.DecideAsync(id, cancellationToken)).Takeover;

    /// <summary>A handle under a prefix delegated to a child node is the child's to change, not this node's.</summary>
    private async ValueTask<Refusal?> DelegatedAsync(HandleId id, CancellationToken cancellationToken) =>
        await _jurisdiction.DecideAsync(id, cancellationToken) is { Holding: Holding.Delegated, DelegatedPrefix: { } prefix }
            ? Jurisdiction.Delegated(id.Text, prefix)
            : null;

    private async ValueTask<IReadOnlyList<Outcome<WriteReceipt>>> RunAsync(Caller caller, int count, Func<int, Planned> plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var results = new Outcome<WriteReceipt>[count];
        var plans = new Planned[count];
        var prefixes = _policy.NewPrefixLookup();
        var anonymous = AuthorizationPolicy.RequireAuthenticated(caller, "writing");
        var current = new HandleRecord?[count];
        var pending = new List<int>(count);
        for (var i = 0; i < count; i++)
        {
            plans[i] = plan(i);
            var refused = anonymous ?? plans[i].Refusal ?? await DelegatedAsync(plans[i].Id!, cancellationToken);

            // Instead of the jurisdiction's refusal (only then is it looked for): a handle of a child this node stands in
            // for is not this node's to change either, but the client must learn why its write cannot go anywhere until hand-back.
            if (anonymous is null && refused is { Code: HandleResponseCode.ServerNotResponsible } && await TakenOverAsync(plans[i].Id, cancellationToken) is { } takeover)
            {
                var readOnly = takeover.ReadOnly(plans[i].Id!.Text);
                results[i] = Outcome<WriteReceipt>.Fail(readOnly.Code, readOnly.Message, TakeoverMark.ReasonName);
            }
            else if (refused is { } refusal)
            {
                results[i] = refusal.As<WriteReceipt>();
            }
            else
            {
                pending.Add(i);
            }
        }

        // What every item starts from, in one multi-get: a batch of 2,000 costs about one read of wall time.
        if (pending.Count > 0)
        {
            var keys = new string[pending.Count];
            for (var k = 0; k < keys.Length; k++)
            {
                keys[k] = plans[pending[k]].Id!.Key;
            }

            var found = await _store.GetManyAsync(keys, cancellationToken);
            for (var k = 0; k < keys.Length; k++)
            {
                current[pending[k]] = found[k];
            }
        }

        for (var attempt = 0; pending.Count > 0 && attempt <= _options.MaxConflictRetries; attempt++)
        {
            if (attempt > 1)
            {
                // Losing twice in a row means a hot handle: step aside briefly rather than spin.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 2 + Math.Min(attempt, 20))), _time, cancellationToken);
            }

            pending = await AttemptAsync(caller, prefixes, plans, current, results, pending, cancellationToken);
        }

        foreach (var i in pending)
        {
            results[i] = Outcome<WriteReceipt>.Fail(HandleResponseCode.ServerTooBusy,
                $"handle '{plans[i].Id!.Text}' is being changed by many writers at once; retry the request");
        }

        var now = _time.GetUtcNow();
        var audit = new AuditEntry[count];
        for (var i = 0; i < count; i++)
        {
            _metrics.Registration(plans[i].Operation, results[i].Code);
            if (!results[i].IsSuccess)
            {
                _metrics.Error(results[i].Code);
            }

            var id = plans[i].Id;
            audit[i] = new AuditEntry(now, caller.Name, caller.ClientAddress, plans[i].Operation, id?.Text ?? plans[i].Requested,
                id is null ? string.Empty : AuditPrefix(id), (int)results[i].Code, results[i].Message);
        }

        try
        {
            await _audit.AppendAsync(audit, CancellationToken.None);
        }
        catch (DiskFullException full)
        {
            // Not acknowledged without its audit entry. Whatever the store already took stays (undoing
            // it could fail for the same lack of space), and the client is told so: a repeated create
            // or update of the same values then succeeds without a change and is recorded.
            throw new DiskFullException("the audit trail's disk is full, so this write could not be recorded and is not acknowledged: "
                + "what it changed is stored, but the node refuses to confirm it. Send the same request again once space is freed on "
                + "the node's audit disk (repeating it is safe)", full);
        }

        return results;
    }

    /// <summary>Decides each pending write against the record it last saw, sends them together, and returns the ones that lost a race.</summary>
    private async ValueTask<List<int>> AttemptAsync(Caller caller, PrefixLookup prefixes, Planned[] plans, HandleRecord?[] current, Outcome<WriteReceipt>[] results, List<int> pending, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var writes = new List<StoreWrite>(pending.Count);
        var writers = new List<(int Item, HandleRecord? Record, bool Created)>(pending.Count);
        foreach (var i in pending)
        {
            var id = plans[i].Id!;
            var existing = current[i];
            var change = plans[i].Change(existing);
            if (change.Refusal is { } refusal)
            {
                results[i] = refusal.As<WriteReceipt>();
                continue;
            }

            // A retried create is authorised as the create it repeats; a filing was authorised as a whole before.
            var denied = plans[i].PreAuthorized ? null
                : change.Unchanged
                ? await _policy.AuthorizeWriteAsync(caller, id, null, existing!.Values, prefixes, cancellationToken)
                : await _policy.AuthorizeWriteAsync(caller, id, existing, change.Values, prefixes, cancellationToken);
            if (denied is { } deniedRefusal)
            {
                results[i] = deniedRefusal.As<WriteReceipt>();
                continue;
            }

            if (change.Unchanged)
            {
                results[i] = Outcome<WriteReceipt>.Ok(new WriteReceipt(id, existing, Created: false));
                continue;
            }

            HandleRecord? next = null;
            if (change.Values is not null)
            {
                var stamped = Stamp(change.Values, existing, now);
                if (_validator.CheckSize(stamped) is { } tooBig)
                {
                    results[i] = tooBig.As<WriteReceipt>();
                    continue;
                }

                next = new HandleRecord(id.Text, stamped, _versions.Next(existing?.Version ?? 0));
            }

            writes.Add(new StoreWrite(id.Key, existing?.Version ?? StoreWrite.Absent, next));
            writers.Add((i, next, existing is null));
        }

        var lost = new List<int>();
        if (writes.Count == 0)
        {
            return lost;
        }

        var applied = new List<string>(writes.Count);

        var started = _time.GetTimestamp();
        var outcomes = await _store.WriteAsync(writes, cancellationToken);
        _metrics.StoreWrite(_time.GetElapsedTime(started));
        for (var w = 0; w < writes.Count; w++)
        {
            var (item, record, created) = writers[w];
            if (outcomes[w].Status == StoreWriteStatus.Applied)
            {
                applied.Add(writes[w].Key);
                results[item] = Outcome<WriteReceipt>.Ok(new WriteReceipt(plans[item].Id!, record, created));
            }
            else
            {
                current[item] = outcomes[w].Current;
                lost.Add(item);
            }
        }

        // One call for the whole batch: with a shared tier, that is one round of messages, not one per handle.
        await _source.InvalidateAsync(applied, cancellationToken);
        return lost;
    }

    /// <summary>Audit entries of a prefix handle file under the prefix it names, so an enterprise's trail is in one place.</summary>
    private static string AuditPrefix(HandleId id) => id.IsPrefixHandle ? id.Suffix.ToString() : id.Prefix.ToString();

    /// <summary>New and changed values carry the time of this write; untouched values keep theirs.</summary>
    private static HandleValue[] Stamp(IReadOnlyList<HandleValue> values, HandleRecord? existing, long now)
    {
        var stamped = new HandleValue[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            var previous = existing?.Find(value.Index);
            stamped[i] = previous is not null && previous.SameContent(value) ? value with { Timestamp = previous.Timestamp } : value with { Timestamp = now };
        }

        Array.Sort(stamped, static (a, b) => a.Index.CompareTo(b.Index));
        return stamped;
    }

    private readonly record struct Planned(HandleId? Id, string Requested, string Operation, Refusal? Refusal, Func<HandleRecord?, Change> Change, bool PreAuthorized = false);
}
