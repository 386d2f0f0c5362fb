using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Caching;

namespace IdResolution.Core.Security;

/// <summary>
/// The one authorisation decision of the node, used by every write, listing and non-public read on
/// every surface. It follows HS_ADMIN semantics: the caller needs the admin permission bits for what
/// the operation changes, granted by an HS_ADMIN value that names the caller (directly or through an
/// HS_VLIST group) on the handle itself, or — when the handle has none — on its prefix handle
/// <c>0.NA/&lt;prefix&gt;</c>. Node administrators may do anything; a suspended prefix cannot be written.
/// </summary>
public sealed class AuthorizationPolicy
{
    private const int MaxGroupDepth = 3;
    private readonly HandleGrammar _grammar;
    private readonly CoalescingRecordSource _source;

    public AuthorizationPolicy(HandleGrammar grammar, CoalescingRecordSource source)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        ArgumentNullException.ThrowIfNull(source);
        _grammar = grammar;
        _source = source;
    }

    /// <summary>
    /// Decides a write of <paramref name="next"/> (null: delete) over <paramref name="existing"/> (null: create).
    /// <paramref name="prefixes"/> memoises prefix handles within one request.
    /// </summary>
    public async ValueTask<Refusal?> AuthorizeWriteAsync(Caller caller, HandleId id, HandleRecord? existing,
        IReadOnlyList<HandleValue>? next, PrefixLookup prefixes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(prefixes);
        if (caller.Kind == CallerKind.NodeAdministrator)
        {
            return null;
        }

        if (caller.Identity is not { } identity)
        {
            return NeedsAuthentication("writing");
        }

        if (id.Prefix.Equals(ReservedTypes.AccountPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Denied("accounts are managed by the node's administrators");
        }

        // Deleting a whole handle is governed by the delete bits alone; otherwise node-managed values stay the node's.
        if (next is not null && Touches(existing, next, ReservedTypes.IsReserved) is { } reserved)
        {
            return Denied($"values of type {reserved.Type} are managed by the node's administrators");
        }

        // An existing prefix handle's values are governed by its own HS_ADMIN (the enterprise may add an
        // HS_SITE for its own node), except what the node put there to govern it: its status and its HS_ADMIN.
        if (id.IsPrefixHandle && existing is not null && next is not null)
        {
            return await AuthorizePrefixValuesAsync(caller, identity, id, existing, next, cancellationToken);
        }

        // The prefix that governs the handle: its own for ordinary handles, the parent for prefix handles.
        var governing = id.IsPrefixHandle ? ParentPrefix(id.Suffix) : id.Prefix.ToString();
        if (governing is null)
        {
            return Denied($"only the node's administrators may change top-level prefix '{id.Suffix}'");
        }

        var prefixRecord = await prefixes.GetAsync(governing, cancellationToken);
        if (prefixRecord is null)
        {
            return Denied($"prefix {governing} is not allocated to you on this node");
        }

        if (IsSuspended(prefixRecord))
        {
            return Denied($"prefix {governing} is suspended; it resolves but cannot be changed until an administrator reinstates it");
        }

        AdminPermissions needed;
        HandleRecord authority;
        if (existing is null)
        {
            needed = id.IsPrefixHandle ? AdminPermissions.AddDerivedPrefix : AdminPermissions.AddHandle;
            authority = prefixRecord;
        }
        else
        {
            authority = HasAdmins(existing) ? existing : prefixRecord;
            if (next is null)
            {
                needed = id.IsPrefixHandle ? AdminPermissions.DeleteDerivedPrefix : AdminPermissions.DeleteHandle;
                authority = id.IsPrefixHandle ? prefixRecord : authority;
            }
            else
            {
                var (diff, locked) = AdminOperation.Diff(existing, next);
                if (locked is not null)
                {
                    return Denied($"value {locked.Index} of '{existing.Handle}' does not allow admin writes (its permissions lack adminWrite)");
                }

                needed = diff;
            }
        }

        var granted = await GrantedAsync(identity, authority, cancellationToken);
        var missing = needed & ~granted;
        return missing == AdminPermissions.None
            ? null
            : Denied($"{caller.Name} lacks the admin permission(s) {missing} for '{id.Text}'");
    }

    private async ValueTask<Refusal?> AuthorizePrefixValuesAsync(Caller caller, ValueReference identity, HandleId id, HandleRecord existing,
        IReadOnlyList<HandleValue> next, CancellationToken cancellationToken)
    {
        if (IsSuspended(existing))
        {
            return Denied($"prefix {id.Suffix} is suspended; it resolves but cannot be changed until an administrator reinstates it");
        }

        if (Touches(existing, next, IsAdminType) is { } admin)
        {
            return Denied($"the HS_ADMIN values of prefix handle '{id.Text}' (index {admin.Index}) say who governs the prefix and are managed by the node's administrators");
        }

        var (needed, locked) = AdminOperation.Diff(existing, next);
        if (locked is not null)
        {
            return Denied($"value {locked.Index} of '{existing.Handle}' does not allow admin writes (its permissions lack adminWrite)");
        }

        var missing = needed & ~await GrantedAsync(identity, existing, cancellationToken);
        return missing == AdminPermissions.None ? null : Denied($"{caller.Name} lacks the admin permission(s) {missing} for '{id.Text}'");
    }

    /// <summary>Whether the caller may see the values of <paramref name="record"/> that are not publicly readable.</summary>
    public async ValueTask<bool> MayReadNonPublicAsync(Caller caller, HandleId id, HandleRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(record);
        if (caller.Kind == CallerKind.NodeAdministrator)
        {
            return true;
        }

        if (caller.Identity is not { } identity || id.Prefix.Equals(ReservedTypes.AccountPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var authority = HasAdmins(record) ? record : await PrefixRecordAsync(id.Prefix.ToString(), cancellationToken);
        return authority is not null && (await GrantedAsync(identity, authority, cancellationToken)).HasFlag(AdminPermissions.ReadValue);
    }

    /// <summary>Listing a prefix needs authentication and the list-handles bit on the prefix handle.</summary>
    public async ValueTask<Refusal?> AuthorizeListAsync(Caller caller, string prefixKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Kind == CallerKind.NodeAdministrator)
        {
            return null;
        }

        if (caller.Identity is not { } identity)
        {
            return NeedsAuthentication("listing handles");
        }

        var prefixRecord = await PrefixRecordAsync(prefixKey, cancellationToken);
        if (prefixRecord is null || !(await GrantedAsync(identity, prefixRecord, cancellationToken)).HasFlag(AdminPermissions.ListHandles))
        {
            return Denied($"{caller.Name} may not list prefix {prefixKey}");
        }

        return null;
    }

    /// <summary>Administrative operations (accounts, prefixes, audit) are for node administrators only.</summary>
    public static Refusal? AuthorizeAdministration(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Kind switch
        {
            CallerKind.NodeAdministrator => null,
            CallerKind.Anonymous => NeedsAuthentication("administration"),
            _ => Denied($"{caller.Name} is not an administrator of this node"),
        };
    }

    public static bool IsSuspended(HandleRecord prefixRecord)
    {
        ArgumentNullException.ThrowIfNull(prefixRecord);
        foreach (var value in prefixRecord.Values)
        {
            if (ValueDataFormats.HasType(value.Type, ReservedTypes.PrefixStatus) && value.Data.Span.SequenceEqual("suspended"u8))
            {
                return true;
            }
        }

        return false;
    }

    public PrefixLookup NewPrefixLookup() => new(this);

    internal async ValueTask<HandleRecord?> PrefixRecordAsync(string prefix, CancellationToken cancellationToken) =>
        _grammar.TryParse(HandleId.NamingAuthorityPrefix + "/" + prefix, out var prefixId, out _)
            ? await _source.GetFromStoreAsync(prefixId.Key, cancellationToken)
            : null;

    private async ValueTask<AdminPermissions> GrantedAsync(ValueReference identity, HandleRecord authority, CancellationToken cancellationToken)
    {
        var granted = AdminPermissions.None;
        foreach (var value in authority.Values)
        {
            if (ValueDataFormats.HasType(value.Type, WellKnownTypes.Admin) && AdminValue.TryDecode(value.Data.Span, out var admin)
                && await NamesAsync(new ValueReference(admin!.AdminHandle, admin.AdminIndex), identity, MaxGroupDepth, cancellationToken))
            {
                granted |= admin.Permissions;
            }
        }

        return granted;
    }

    /// <summary>True when <paramref name="admin"/> is the identity itself or an HS_VLIST group that contains it.</summary>
    private async ValueTask<bool> NamesAsync(ValueReference admin, ValueReference identity, int depth, CancellationToken cancellationToken)
    {
        if (!_grammar.TryParse(admin.Handle, out var adminId, out _))
        {
            return false;
        }

        if (admin.Index == identity.Index && _grammar.TryParse(identity.Handle, out var identityId, out _) && adminId.Equals(identityId))
        {
            return true;
        }

        if (depth == 0)
        {
            return false;
        }

        var group = (await _source.GetAsync(adminId.Key, cancellationToken))?.Find(admin.Index);
        if (group is null || !ValueDataFormats.HasType(group.Type, WellKnownTypes.ValueList) || !ValueList.TryDecode(group.Data.Span, out var members))
        {
            return false;
        }

        foreach (var member in members)
        {
            if (await NamesAsync(member, identity, depth - 1, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasAdmins(HandleRecord record)
    {
        foreach (var value in record.Values)
        {
            if (ValueDataFormats.HasType(value.Type, WellKnownTypes.Admin))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A value of a guarded type that <paramref name="next"/> adds, changes or removes, if any.</summary>
    private static HandleValue? Touches(HandleRecord? existing, IReadOnlyList<HandleValue> next, Func<string, bool> guarded)
    {
        foreach (var value in next)
        {
            var old = existing?.Find(value.Index);
            if ((guarded(value.Type) || (old is not null && guarded(old.Type))) && (old is null || !old.SameContent(value)))
            {
                return value;
            }
        }

        foreach (var old in existing?.Values ?? [])
        {
            if (guarded(old.Type) && !next.Any(v => v.Index == old.Index))
            {
                return old;
            }
        }

        return null;
    }

    private static bool IsAdminType(string type) => ValueDataFormats.HasType(type, WellKnownTypes.Admin);

    private static string? ParentPrefix(ReadOnlySpan<char> prefix)
    {
        var dot = prefix.LastIndexOf('.');
        return dot <= 0 ? null : prefix[..dot].ToString();
    }

    /// <summary>Refuses anonymous callers before any store is touched.</summary>
    public static Refusal? RequireAuthenticated(Caller caller, string what)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsAuthenticated ? null : NeedsAuthentication(what);
    }

    private static Refusal NeedsAuthentication(string what) =>
        new(HandleResponseCode.AuthenticationNeeded, $"{what} needs authentication: send a bearer token from POST /identity/token, or Handle credentials");

    private static Refusal Denied(string message) => new(HandleResponseCode.InsufficientPermissions, message);
}

/// <summary>Prefix handles read once per request, so a batch of 2,000 items under one prefix costs one read.</summary>
public sealed class PrefixLookup
{
    private readonly AuthorizationPolicy _policy;
    private readonly Dictionary<string, HandleRecord?> _seen = new(StringComparer.OrdinalIgnoreCase);

    internal PrefixLookup(AuthorizationPolicy policy) => _policy = policy;

    public async ValueTask<HandleRecord?> GetAsync(string prefix, CancellationToken cancellationToken)
    {
        if (!_seen.TryGetValue(prefix, out var record))
        {
            record = await _policy.PrefixRecordAsync(prefix, cancellationToken);
            _seen[prefix] = record;
        }

        return record;
    }
}
