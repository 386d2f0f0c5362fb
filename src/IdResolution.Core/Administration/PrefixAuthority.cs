using System.Text;
using IdResolution.Core.Caching;
using IdResolution.Core.Federation;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Security;

namespace IdResolution.Core.Administration;

/// <summary>
/// Allocation of enterprise prefixes under the node's own prefix. A prefix is a handle
/// <c>0.NA/&lt;prefix&gt;</c> whose HS_ADMIN names the owning account with every permission but the
/// derived-prefix ones, and whose IDRES_STATUS says whether it is active or suspended.
/// </summary>
public sealed class PrefixAuthority
{
    public const int OwnerAdminIndex = WellKnownTypes.AdminIndex;
    public const int StatusIndex = PrefixSites.StatusIndex;

    /// <summary>What an enterprise may do under its own prefix: everything except create or delete derived prefixes.</summary>
    public const AdminPermissions EnterprisePermissions = AdminPermissions.All & ~(AdminPermissions.AddDerivedPrefix | AdminPermissions.DeleteDerivedPrefix);

    private readonly Registrar _registrar;
    private readonly CoalescingRecordSource _source;
    private readonly HandleGrammar _grammar;
    private readonly AccountDirectory _accounts;
    private readonly SecurityOptions _options;

    public PrefixAuthority(Registrar registrar, CoalescingRecordSource source, HandleGrammar grammar, AccountDirectory accounts, SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(grammar);
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(options);
        _registrar = registrar;
        _source = source;
        _grammar = grammar;
        _accounts = accounts;
        _options = options;
    }

    public async ValueTask<Outcome<AllocatedPrefix>> AllocateAsync(Caller caller, string prefix, string owner, CancellationToken cancellationToken)
    {
        if (AuthorizationPolicy.AuthorizeAdministration(caller) is { } denied)
        {
            return denied.As<AllocatedPrefix>();
        }

        if (CheckUnder(prefix, out _) is { } outside)
        {
            return outside.As<AllocatedPrefix>();
        }

        if (await _accounts.FindAsync(owner, cancellationToken) is not { Role: AccountRole.Enterprise })
        {
            return Outcome<AllocatedPrefix>.Fail(HandleResponseCode.HandleNotFound, $"there is no enterprise account '{owner}' to own the prefix");
        }

        var admin = new AdminValue(ReservedTypes.AccountPrefix + "/" + owner, ReservedTypes.AccountIdentityIndex, EnterprisePermissions);
        var values = new[]
        {
            new HandleValue { Index = StatusIndex, Type = ReservedTypes.PrefixStatus, Data = "active"u8.ToArray() },
            new HandleValue { Index = OwnerAdminIndex, Type = WellKnownTypes.Admin, Data = admin.Encode() },
        };
        var created = await _registrar.CreateAsync(caller, new CreateRequest(HandleId.NamingAuthorityPrefix + "/" + prefix, values), cancellationToken);
        return created.IsSuccess ? Outcome<AllocatedPrefix>.Ok(new AllocatedPrefix(prefix, owner, Suspended: false)) : created.Cast<AllocatedPrefix>();
    }

    /// <summary>
    /// Records <paramref name="prefix"/> (bare or as <c>0.NA/…</c>) as held here, as Handle.Net's "home" does: allocated to
    /// <paramref name="owner"/> when one is given, else a prefix handle with only its status, under which only
    /// administrators write. Homing a prefix held already changes nothing and succeeds, unless it is allocated to
    /// another owner; the node's own prefix is always held.
    /// </summary>
    public async ValueTask<Outcome<HomedPrefix>> HomeAsync(Caller caller, string prefix, string? owner, CancellationToken cancellationToken)
    {
        if (AuthorizationPolicy.AuthorizeAdministration(caller) is { } denied)
        {
            return denied.As<HomedPrefix>();
        }

        var bare = Bare(prefix ?? string.Empty);
        if (_grammar.TryParsePrefix(bare, out var key, out _) && _grammar.TryParsePrefix(_options.NodePrefix, out var nodeKey, out _)
            && string.Equals(key, nodeKey, StringComparison.Ordinal))
        {
            return Outcome<HomedPrefix>.Ok(new HomedPrefix(new AllocatedPrefix(_options.NodePrefix, null, Suspended: false), Created: false));
        }

        if (CheckUnder(bare, out var prefixKey) is { } outside)
        {
            return outside.As<HomedPrefix>();
        }

        var existing = await _source.GetFromStoreAsync(HandleId.NamingAuthorityPrefix + "/" + prefixKey, cancellationToken);
        if (existing is not null)
        {
            var held = Describe(Bare(existing.Handle), existing);
            return string.IsNullOrEmpty(owner) || string.Equals(held.Owner, owner, StringComparison.OrdinalIgnoreCase)
                ? Outcome<HomedPrefix>.Ok(new HomedPrefix(held, Created: false))
                : Outcome<HomedPrefix>.Fail(HandleResponseCode.HandleAlreadyExists,
                    $"prefix {held.Prefix} is held here already, {(held.Owner is null ? "without an owner" : "allocated to " + held.Owner)}; remove it before allocating it to {owner}");
        }

        if (!string.IsNullOrEmpty(owner))
        {
            var allocated = await AllocateAsync(caller, bare, owner, cancellationToken);
            return allocated.IsSuccess ? Outcome<HomedPrefix>.Ok(new HomedPrefix(allocated.Value, Created: true)) : allocated.Cast<HomedPrefix>();
        }

        var status = new HandleValue { Index = StatusIndex, Type = ReservedTypes.PrefixStatus, Data = "active"u8.ToArray() };
        var created = await _registrar.CreateAsync(caller, new CreateRequest(HandleId.NamingAuthorityPrefix + "/" + bare, [status]), cancellationToken);
        return created.IsSuccess
            ? Outcome<HomedPrefix>.Ok(new HomedPrefix(Describe(bare, created.Value.Record!), created.Value.Created))
            : created.Cast<HomedPrefix>();
    }

    public async ValueTask<Outcome<AllocatedPrefix>> SetSuspendedAsync(Caller caller, string prefix, bool suspended, CancellationToken cancellationToken)
    {
        if (AuthorizationPolicy.AuthorizeAdministration(caller) is { } denied)
        {
            return denied.As<AllocatedPrefix>();
        }

        var status = new HandleValue { Index = StatusIndex, Type = ReservedTypes.PrefixStatus, Data = Encoding.UTF8.GetBytes(suspended ? "suspended" : "active") };
        var written = await _registrar.ModifyValuesAsync(caller, HandleId.NamingAuthorityPrefix + "/" + prefix, [status], cancellationToken);
        return written.IsSuccess ? Outcome<AllocatedPrefix>.Ok(Describe(prefix, written.Value.Record!)) : written.Cast<AllocatedPrefix>();
    }

    /// <summary>Removes an allocation; refused while handles remain under the prefix, so no record is orphaned.</summary>
    public async ValueTask<Outcome<WriteReceipt>> RemoveAsync(Caller caller, string prefix, CancellationToken cancellationToken)
    {
        if (AuthorizationPolicy.AuthorizeAdministration(caller) is { } denied)
        {
            return denied.As<WriteReceipt>();
        }

        prefix = Bare(prefix ?? string.Empty);
        var remaining = await _registrar.ListAsync(caller, prefix, 1, null, cancellationToken);
        if (!remaining.IsSuccess)
        {
            return remaining.Cast<WriteReceipt>();
        }

        if (remaining.Value.Handles.Count > 0)
        {
            return Outcome<WriteReceipt>.Fail(HandleResponseCode.ProtocolError, $"prefix {prefix} still holds handles; delete them before removing the prefix");
        }

        return await _registrar.DeleteAsync(caller, HandleId.NamingAuthorityPrefix + "/" + prefix, cancellationToken);
    }

    public async ValueTask<Outcome<IReadOnlyList<AllocatedPrefix>>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (AuthorizationPolicy.AuthorizeAdministration(caller) is { } denied)
        {
            return denied.As<IReadOnlyList<AllocatedPrefix>>();
        }

        var all = await PrefixHandleWalk.ReadAllAsync(_registrar, _source, _grammar, caller, cancellationToken);
        if (!all.IsSuccess)
        {
            return all.Cast<IReadOnlyList<AllocatedPrefix>>();
        }

        var prefixes = all.Value.Select(handle => Describe(handle.Prefix, handle.Record)).ToList();
        return Outcome<IReadOnlyList<AllocatedPrefix>>.Ok(prefixes);
    }

    /// <summary><paramref name="prefix"/> without a leading <c>0.NA/</c>: prefixes are accepted in both spellings.</summary>
    internal static string Bare(string prefix) =>
        prefix.StartsWith(HandleId.NamingAuthorityPrefix + "/", StringComparison.OrdinalIgnoreCase) ? prefix[(HandleId.NamingAuthorityPrefix.Length + 1)..] : prefix;

    /// <summary>Refuses what is not a prefix strictly under the node's own (the ones it allocates).</summary>
    private Refusal? CheckUnder(string prefix, out string prefixKey)
    {
        if (!_grammar.TryParsePrefix(prefix, out var key, out var error))
        {
            prefixKey = string.Empty;
            return new Refusal(HandleResponseCode.InvalidHandle, $"'{prefix}' is not a valid prefix: {_grammar.Describe(error)}");
        }

        prefixKey = key;
        return _grammar.TryParsePrefix(_options.NodePrefix, out var nodeKey, out _) && key.StartsWith(nodeKey + ".", StringComparison.Ordinal)
            ? null
            : new Refusal(HandleResponseCode.InvalidHandle,
                $"this node allocates prefixes under its own prefix {_options.NodePrefix}, such as {_options.NodePrefix}.911; '{prefix}' is not one");
    }

    private static AllocatedPrefix Describe(string prefix, HandleRecord record)
    {
        string? owner = null;
        var admin = record.Find(OwnerAdminIndex);
        if (admin is not null && AdminValue.TryDecode(admin.Data.Span, out var decoded)
            && decoded!.AdminHandle.StartsWith(ReservedTypes.AccountPrefix + "/", StringComparison.OrdinalIgnoreCase))
        {
            owner = decoded.AdminHandle[(ReservedTypes.AccountPrefix.Length + 1)..];
        }

        return new AllocatedPrefix(prefix, owner, AuthorizationPolicy.IsSuspended(record));
    }
}
