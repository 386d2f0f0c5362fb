using System.Globalization;
using System.Text;
using System.Text.Json;
using IdResolution.Core.Caching;
using IdResolution.Core.Federation;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Security;

namespace IdResolution.Core.Administration;

/// <summary>
/// The child nodes this node admitted. A child is admitted by creating or extending, through the registrar (so
/// it is authorised, audited and invalidates caches like any write), the prefix handle <c>0.NA/&lt;prefix&gt;</c>
/// of a prefix under this node's own: HS_ADMIN at index 101 naming the child's identity <c>300:0.NA/&lt;prefix&gt;</c>
/// with the derived-prefix and value permissions, IDRES_STATUS at index 2, IDRES_NODE (name, admission time) at
/// index 3 and one or two IDRES_NODE_CREDENTIAL values at 300 and 301. Values already there (an enterprise's
/// allocation, the HS_SITE values the child filed) stay.
/// </summary>
/// <remarks>
/// <see cref="FindByCredentialAsync"/> answers from an index of every admitted credential, rebuilt from the
/// prefix handles when it is older than <see cref="IndexLifetime"/>, dropped by this directory's own writes,
/// and rebuilt on a miss at most every <see cref="MinimumRebuildInterval"/>. A hit is checked against the prefix
/// handle as now cached, so a credential rotated out or a prefix handle removed stops working at once; a
/// credential admitted through another instance works there within <see cref="MinimumRebuildInterval"/>.
/// </remarks>
public sealed class NodeDirectory : IDisposable
{
    public const int StatusIndex = PrefixAuthority.StatusIndex;
    public const int NodeIndex = 3;
    public const int NodeAdminIndex = 101;

    /// <summary>What a child may do under its prefix: derived prefixes and values, not the HS_ADMIN values that govern it.</summary>
    public const AdminPermissions NodePermissions = AdminPermissions.AddDerivedPrefix | AdminPermissions.DeleteDerivedPrefix
        | AdminPermissions.AddValue | AdminPermissions.ModifyValue | AdminPermissions.RemoveValue | AdminPermissions.ReadValue;

    public static readonly TimeSpan IndexLifetime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MinimumRebuildInterval = TimeSpan.FromSeconds(5);

    private const int MaxNameLength = 128;
    private const ValuePermissions NodeOnly = ValuePermissions.AdminRead | ValuePermissions.AdminWrite;
    private static readonly Caller System = Caller.Administrator("node", "local");

    private readonly Registrar _registrar;
    private readonly CoalescingRecordSource _source;
    private readonly HandleGrammar _grammar;
    private readonly Jurisdiction _jurisdiction;
    private readonly TimeProvider _time;
    private readonly string _rootKey;
    private readonly SemaphoreSlim _rebuild = new(1, 1);
    private volatile CredentialIndex? _index;

    public NodeDirectory(Registrar registrar, CoalescingRecordSource source, HandleGrammar grammar, Jurisdiction jurisdiction, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(grammar);
        ArgumentNullException.ThrowIfNull(jurisdiction);
        ArgumentNullException.ThrowIfNull(time);
        _registrar = registrar;
        _source = source;
        _grammar = grammar;
        _jurisdiction = jurisdiction;
        _time = time;
        _rootKey = grammar.TryParsePrefix(jurisdiction.NodePrefix, out var rootKey, out _) ? rootKey : jurisdiction.NodePrefix;
    }

    /// <summary>
    /// Admits the child node holding <paramref name="prefix"/> with one or two <paramref name="credentials"/>
    /// (<c>key:…</c> or <c>cert:…</c>); admitting it again replaces its name and credentials, which is how a key
    /// is rotated: admit with the old and the new one, then with the new one only.
    /// </summary>
    public async ValueTask<Outcome<AdmittedNode>> AdmitAsync(Caller caller, string prefix, string name, IReadOnlyList<string> credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (AuthorizationPolicy.AuthorizeAdministration(caller) is { } denied)
        {
            return denied.As<AdmittedNode>();
        }

        if (CheckPrefix(prefix, out var bare, out var prefixKey) is { } badPrefix)
        {
            return badPrefix.As<AdmittedNode>();
        }

        name = name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > MaxNameLength || name.Any(char.IsControl))
        {
            return Refusal.InvalidValue($"give the node a name of 1 to {MaxNameLength} characters without control characters, such as secondary-a").As<AdmittedNode>();
        }

        var parsed = Parse(credentials);
        if (!parsed.IsSuccess)
        {
            return parsed.Cast<AdmittedNode>();
        }

        var index = await RebuildAsync(cancellationToken);
        if (CheckAgainstOthers(index, prefixKey, parsed.Value) is { } clash)
        {
            return clash.As<AdmittedNode>();
        }

        var handle = HandleId.NamingAuthorityPrefix + "/" + bare;
        for (var attempt = 0; ; attempt++)
        {
            var existing = await _source.GetFromStoreAsync(Key(prefixKey), cancellationToken);
            if (CheckIndexes(existing, bare) is { } taken)
            {
                return taken.As<AdmittedNode>();
            }

            var values = NodeValues(existing, bare, name, parsed.Value);
            var written = existing is null
                ? await _registrar.CreateAsync(caller, new CreateRequest(handle, values), cancellationToken)
                : await _registrar.UpdateAsync(caller, new UpdateRequest(handle, values,
                    existing.Find(NodeDelegation.IdentityIndex + 1) is not null && parsed.Value.Count == 1 ? [NodeDelegation.IdentityIndex + 1] : []), cancellationToken);

            // Created by another writer between the read and the write: extend it as found, once.
            if (existing is null && written.Code == HandleResponseCode.HandleAlreadyExists && attempt == 0)
            {
                continue;
            }

            _index = null;
            return written.IsSuccess ? Outcome<AdmittedNode>.Ok(Describe(written.Value.Record!)) : written.Cast<AdmittedNode>();
        }
    }

    /// <summary>Suspends (or reinstates) an admitted child: it still authenticates, but its prefix cannot be changed.</summary>
    public async ValueTask<Outcome<AdmittedNode>> SetSuspendedAsync(Caller caller, string prefix, bool suspended, CancellationToken cancellationToken)
    {
        if (AuthorizationPolicy.AuthorizeAdministration(caller) is { } denied)
        {
            return denied.As<AdmittedNode>();
        }

        if (CheckPrefix(prefix, out var bare, out var prefixKey) is { } badPrefix)
        {
            return badPrefix.As<AdmittedNode>();
        }

        var existing = await _source.GetFromStoreAsync(Key(prefixKey), cancellationToken);
        if (existing is null || !NodeDelegation.IsDelegated(existing))
        {
            return NotAdmitted(bare).As<AdmittedNode>();
        }

        var status = new HandleValue { Index = StatusIndex, Type = ReservedTypes.PrefixStatus, Data = Encoding.UTF8.GetBytes(suspended ? "suspended" : "active") };
        var written = await _registrar.UpdateAsync(caller, new UpdateRequest(HandleId.NamingAuthorityPrefix + "/" + bare, [status], []), cancellationToken);
        return written.IsSuccess ? Outcome<AdmittedNode>.Ok(Describe(written.Value.Record!)) : written.Cast<AdmittedNode>();
    }

    /// <summary>Every admitted child, in the order of the prefix handle listing.</summary>
    public async ValueTask<Outcome<IReadOnlyList<AdmittedNode>>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (AuthorizationPolicy.AuthorizeAdministration(caller) is { } denied)
        {
            return denied.As<IReadOnlyList<AdmittedNode>>();
        }

        var all = await PrefixHandleWalk.ReadAllAsync(_registrar, _source, _grammar, caller, cancellationToken);
        return all.IsSuccess
            ? Outcome<IReadOnlyList<AdmittedNode>>.Ok(all.Value.Where(h => NodeDelegation.IsDelegated(h.Record)).Select(h => Describe(h.Record)).ToList())
            : all.Cast<IReadOnlyList<AdmittedNode>>();
    }

    /// <summary>The child admitted for <paramref name="prefix"/> (as cached: writes here invalidate it), or null.</summary>
    public async ValueTask<AdmittedNode?> FindAsync(string prefix, CancellationToken cancellationToken)
    {
        if (!_grammar.TryParsePrefix(prefix, out var prefixKey, out _))
        {
            return null;
        }

        var record = await _source.GetAsync(Key(prefixKey), cancellationToken);
        return record is not null && NodeDelegation.IsDelegated(record) ? Describe(record) : null;
    }

    /// <summary>The child admitted with <paramref name="credential"/> (a TLS client certificate's thumbprint, say), or null.</summary>
    public async ValueTask<AdmittedNode?> FindByCredentialAsync(NodeCredential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        credential = Canonical(credential);
        var index = _index;
        if (index is null || _time.GetElapsedTime(index.BuiltAt) >= IndexLifetime)
        {
            index = await RebuildAsync(cancellationToken);
        }

        if (!index.ByCredential.TryGetValue(credential.ToString(), out var prefix))
        {
            if (_time.GetElapsedTime(index.BuiltAt) < MinimumRebuildInterval)
            {
                return null;
            }

            index = await RebuildAsync(cancellationToken);
            if (!index.ByCredential.TryGetValue(credential.ToString(), out prefix))
            {
                return null;
            }
        }

        var node = await FindAsync(prefix, cancellationToken);
        if (node is null || !node.Credentials.Select(Canonical).Contains(credential))
        {
            // Rotated out or removed since the index was built.
            _index = null;
            return null;
        }

        return node;
    }

    public void Dispose() => _rebuild.Dispose();

    /// <summary>Reads the prefix handle <paramref name="record"/> of an admitted child.</summary>
    public static AdmittedNode Describe(HandleRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var slash = record.Handle.IndexOf('/', StringComparison.Ordinal);
        var prefix = record.Handle[(slash + 1)..];
        var (name, admittedAt) = ReadNode(record.Find(NodeIndex));
        var status = record.Values.FirstOrDefault(v => ValueDataFormats.HasType(v.Type, ReservedTypes.PrefixStatus));
        var statusAt = status is null ? admittedAt : DateTimeOffset.FromUnixTimeSeconds(status.Timestamp);
        var suspended = AuthorizationPolicy.IsSuspended(record);
        var sites = new List<SiteInfo>();
        foreach (var value in record.Values)
        {
            if (ValueDataFormats.HasType(value.Type, WellKnownTypes.Site) && SiteInfo.TryDecode(value.Data.Span, out var site))
            {
                sites.Add(site!);
            }
        }

        return new AdmittedNode(prefix, name ?? prefix, NodeDelegation.Credentials(record), suspended,
            suspended || statusAt > admittedAt ? statusAt : admittedAt, admittedAt, sites);
    }

    private Refusal? CheckPrefix(string prefix, out string bare, out string prefixKey)
    {
        bare = prefix ?? string.Empty;
        if (!_grammar.TryParsePrefix(prefix, out var key, out var error))
        {
            prefixKey = string.Empty;
            return new Refusal(HandleResponseCode.InvalidHandle, $"'{prefix}' is not a valid prefix: {_grammar.Describe(error)}");
        }

        prefixKey = key;
        bare = PrefixAuthority.Bare(bare);
        if (string.Equals(key, _rootKey, StringComparison.Ordinal))
        {
            return new Refusal(HandleResponseCode.InvalidHandle,
                $"{bare} is this node's own prefix; a child node is admitted for a prefix under it, such as {_jurisdiction.NodePrefix}.1");
        }

        return _jurisdiction.DecidePrefix(key) == Holding.NotHeld ? _jurisdiction.NotResponsible(bare) : null;
    }

    private static Outcome<IReadOnlyList<NodeCredential>> Parse(IReadOnlyList<string> credentials)
    {
        if (credentials.Count is 0 or > NodeCredential.MaxPerNode)
        {
            return Outcome<IReadOnlyList<NodeCredential>>.Fail(HandleResponseCode.InvalidValue, string.Create(CultureInfo.InvariantCulture,
                $"admit a node with one or two credentials (two while a key is rotated), not {credentials.Count}"));
        }

        var parsed = new List<NodeCredential>(credentials.Count);
        foreach (var text in credentials)
        {
            if (!NodeCredential.TryParse(text, out var credential, out var error))
            {
                return Outcome<IReadOnlyList<NodeCredential>>.Fail(HandleResponseCode.InvalidValue, error);
            }

            credential = Canonical(credential);
            if (parsed.Contains(credential))
            {
                return Outcome<IReadOnlyList<NodeCredential>>.Fail(HandleResponseCode.InvalidValue, $"credential {credential.Fingerprint} is given twice");
            }

            parsed.Add(credential);
        }

        return Outcome<IReadOnlyList<NodeCredential>>.Ok(parsed);
    }

    /// <summary>A credential names one node, and delegations do not nest: a prefix inside a child's is that child's to delegate.</summary>
    private static Refusal? CheckAgainstOthers(CredentialIndex index, string prefixKey, IReadOnlyList<NodeCredential> credentials)
    {
        foreach (var credential in credentials)
        {
            if (index.ByCredential.TryGetValue(credential.ToString(), out var holder) && !string.Equals(index.Keys[holder], prefixKey, StringComparison.Ordinal))
            {
                return Refusal.InvalidValue($"credential {credential.Fingerprint} is already admitted for node {holder}; a credential names one node");
            }
        }

        foreach (var (delegated, key) in index.Keys)
        {
            if (Under(prefixKey, key))
            {
                return new Refusal(HandleResponseCode.ServerNotResponsible,
                    $"prefix {prefixKey} lies under {delegated}, which is delegated to another node; that node admits nodes under it");
            }

            if (Under(key, prefixKey))
            {
                return new Refusal(HandleResponseCode.InvalidHandle,
                    $"prefix {prefixKey} would cover {delegated}, which is delegated to another node; delegations do not nest");
            }
        }

        return null;
    }

    /// <summary>The indexes the node values take must be free or hold the node values already: nothing else is overwritten.</summary>
    private static Refusal? CheckIndexes(HandleRecord? existing, string bare)
    {
        if (existing is null)
        {
            return null;
        }

        foreach (var value in existing.Values)
        {
            var expected = value.Index switch
            {
                StatusIndex => ReservedTypes.PrefixStatus,
                NodeIndex => ReservedTypes.Node,
                NodeAdminIndex => WellKnownTypes.Admin,
                NodeDelegation.IdentityIndex or NodeDelegation.IdentityIndex + 1 => ReservedTypes.NodeCredential,
                _ => null,
            };
            var ours = expected is not null && ValueDataFormats.HasType(value.Type, expected)
                && (value.Index != NodeAdminIndex || (AdminValue.TryDecode(value.Data.Span, out var admin)
                    && admin!.AdminIndex == NodeDelegation.IdentityIndex
                    && string.Equals(admin.AdminHandle, NodeDelegation.Identity(bare).Handle, StringComparison.OrdinalIgnoreCase)));
            if (expected is not null && !ours)
            {
                return new Refusal(HandleResponseCode.ValueAlreadyExists, string.Create(CultureInfo.InvariantCulture,
                    $"index {value.Index} of '{existing.Handle}' holds a {value.Type} value that admitting a node would overwrite; move or remove it first"));
            }
        }

        return null;
    }

    private HandleValue[] NodeValues(HandleRecord? existing, string bare, string name, IReadOnlyList<NodeCredential> credentials)
    {
        // Re-admission (a rotation) keeps the time the node was first admitted.
        var (_, admittedAt) = ReadNode(existing?.Find(NodeIndex));
        if (existing?.Find(NodeIndex) is null)
        {
            admittedAt = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds());
        }

        var node = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["name"] = name,
            ["admittedAt"] = admittedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        });
        var identity = NodeDelegation.Identity(bare);
        var values = new List<HandleValue>
        {
            new() { Index = NodeIndex, Type = ReservedTypes.Node, Data = node, Permissions = NodeOnly },
            new() { Index = NodeAdminIndex, Type = WellKnownTypes.Admin, Data = new AdminValue(identity.Handle, identity.Index, NodePermissions).Encode() },
        };
        if (existing?.Find(StatusIndex) is null)
        {
            values.Add(new HandleValue { Index = StatusIndex, Type = ReservedTypes.PrefixStatus, Data = "active"u8.ToArray() });
        }

        for (var i = 0; i < credentials.Count; i++)
        {
            values.Add(new HandleValue
            {
                Index = NodeDelegation.IdentityIndex + i,
                Type = ReservedTypes.NodeCredential,
                Data = Encoding.UTF8.GetBytes(credentials[i].ToString()),
                Permissions = NodeOnly,
            });
        }

        return [.. values];
    }

    private static (string? Name, DateTimeOffset AdmittedAt) ReadNode(HandleValue? value)
    {
        if (value is null || !ValueDataFormats.HasType(value.Type, ReservedTypes.Node))
        {
            return (null, DateTimeOffset.UnixEpoch);
        }

        var stamped = DateTimeOffset.FromUnixTimeSeconds(value.Timestamp);
        try
        {
            using var json = JsonDocument.Parse(value.Data);
            var root = json.RootElement;
            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            var admitted = root.TryGetProperty("admittedAt", out var a) && a.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(a.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : stamped;
            return (name, admitted);
        }
        catch (JsonException)
        {
            return (null, stamped);
        }
    }

    private async ValueTask<CredentialIndex> RebuildAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        await _rebuild.WaitAsync(cancellationToken);
        try
        {
            // Rebuilt by another caller while this one waited: that one is as fresh as this would be.
            if (_index is { } fresh && fresh.BuiltAt >= started)
            {
                return fresh;
            }

            var built = _time.GetTimestamp();
            var all = await PrefixHandleWalk.ReadAllAsync(_registrar, _source, _grammar, System, cancellationToken);
            if (!all.IsSuccess)
            {
                throw new InvalidOperationException($"the prefix handles could not be listed: {all.Message}");
            }

            var byCredential = new Dictionary<string, string>(StringComparer.Ordinal);
            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (prefix, record) in all.Value)
            {
                if (!NodeDelegation.IsDelegated(record) || !_grammar.TryParsePrefix(prefix, out var key, out _))
                {
                    continue;
                }

                keys[prefix] = key;
                foreach (var credential in NodeDelegation.Credentials(record))
                {
                    byCredential.TryAdd(Canonical(credential).ToString(), prefix);
                }
            }

            var index = new CredentialIndex(byCredential, keys, built);
            _index = index;
            return index;
        }
        finally
        {
            _rebuild.Release();
        }
    }

    /// <summary>One spelling per credential: a key's base64 re-encoded, so the same key admitted twice is recognised.</summary>
    private static NodeCredential Canonical(NodeCredential credential) => credential.Kind == NodeCredentialKind.Key
        ? credential with { Value = Convert.ToBase64String(Convert.FromBase64String(credential.Value)) }
        : credential;

    /// <summary>The store key of the prefix handle of <paramref name="prefixKey"/> (already folded as keys are).</summary>
    private static string Key(string prefixKey) => HandleId.NamingAuthorityPrefix + "/" + prefixKey;

    private static bool Under(string prefixKey, string ancestorKey) =>
        prefixKey.Length > ancestorKey.Length && prefixKey[ancestorKey.Length] == '.' && prefixKey.StartsWith(ancestorKey, StringComparison.Ordinal);

    private static Refusal NotAdmitted(string prefix) =>
        new(HandleResponseCode.HandleNotFound, $"no child node is admitted for prefix {prefix} on this node; admit it with AdmitNode (POST /v1/admin/nodes)");

    /// <summary>Admitted credentials (canonical text) to the prefix admitted with them; every delegated prefix (as registered) to its key.</summary>
    private sealed record CredentialIndex(Dictionary<string, string> ByCredential, Dictionary<string, string> Keys, long BuiltAt);
}
