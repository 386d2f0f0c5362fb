using System.Text;
using System.Text.Json;
using IdResolution.Core.Caching;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Security;

namespace IdResolution.Core.Administration;

/// <summary>
/// Enterprise and administrator accounts, kept as handles <c>0.USER/&lt;name&gt;</c> through the same
/// registrar and store as every record (so they are audited, replicated and backed up alike).
/// Their values are not publicly readable and carry a short TTL, so a suspension takes effect within a minute.
/// </summary>
public sealed class AccountDirectory
{
    private const int AccountValueIndex = 1;
    private const int AccountTtlSeconds = 60;
    private static readonly Caller System = Caller.Administrator("node", "local");
    private readonly Registrar _registrar;
    private readonly CoalescingRecordSource _source;
    private readonly PasswordHasher _hasher;
    private readonly HandleGrammar _grammar;

    public AccountDirectory(Registrar registrar, CoalescingRecordSource source, HandleGrammar grammar, SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        _grammar = grammar;
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        _registrar = registrar;
        _source = source;
        _hasher = new PasswordHasher(options.PasswordIterations);
    }

    public async ValueTask<Outcome<Account>> CreateAsync(Caller caller, string name, string password, AccountRole role, CancellationToken cancellationToken)
    {
        if (AuthorizationPolicy.AuthorizeAdministration(caller) is { } denied)
        {
            return denied.As<Account>();
        }

        if (CheckName(name) is { } badName)
        {
            return badName.As<Account>();
        }

        if (string.IsNullOrEmpty(password) || password.Length < 8 || password.Length > 1024)
        {
            return Refusal.InvalidValue("a password needs 8 to 1024 characters").As<Account>();
        }

        var account = new Account(name, role, Suspended: false);
        var values = new[] { AccountValue(account), Private(ReservedTypes.AccountIdentityIndex, ReservedTypes.PasswordHash, _hasher.Hash(password)) };
        var created = await _registrar.CreateAsync(caller, new CreateRequest(account.Handle, values), cancellationToken);
        return created.IsSuccess ? Outcome<Account>.Ok(account) : created.Cast<Account>();
    }

    /// <summary>Checks a password against the stored hash, reading the store directly.</summary>
    public async ValueTask<Outcome<Account>> VerifyPasswordAsync(string name, string password, CancellationToken cancellationToken)
    {
        var failed = Outcome<Account>.Fail(HandleResponseCode.AuthenticationFailed, "unknown user name or wrong password");
        if (CheckName(name) is not null || string.IsNullOrEmpty(password))
        {
            return failed;
        }

        var record = await _source.GetFromStoreAsync(Key(name), cancellationToken);
        var account = record is null ? null : Read(name, record);
        var hash = record?.Find(ReservedTypes.AccountIdentityIndex);
        if (account is null || hash is null || !PasswordHasher.Verify(password, Encoding.UTF8.GetString(hash.Data.Span)))
        {
            return failed;
        }

        return account.Suspended
            ? Outcome<Account>.Fail(HandleResponseCode.AuthenticationFailed, $"account {name} is suspended")
            : Outcome<Account>.Ok(account);
    }

    /// <summary>The account as cached (at most a minute old): used on every authenticated request.</summary>
    public async ValueTask<Account?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (CheckName(name) is not null)
        {
            return null;
        }

        var record = await _source.GetAsync(Key(name), cancellationToken);
        return record is null ? null : Read(name, record);
    }

    public async ValueTask<Outcome<IReadOnlyList<Account>>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (AuthorizationPolicy.AuthorizeAdministration(caller) is { } denied)
        {
            return denied.As<IReadOnlyList<Account>>();
        }

        var accounts = new List<Account>();
        string? token = null;
        do
        {
            var page = await _registrar.ListAsync(caller, ReservedTypes.AccountPrefix, 1000, token, cancellationToken);
            if (!page.IsSuccess)
            {
                return page.Cast<IReadOnlyList<Account>>();
            }

            foreach (var handle in page.Value.Handles)
            {
                var name = handle[(ReservedTypes.AccountPrefix.Length + 1)..];
                if (await FindAsync(name, cancellationToken) is { } account)
                {
                    accounts.Add(account);
                }
            }

            token = page.Value.NextPageToken;
        }
        while (token is not null);

        return Outcome<IReadOnlyList<Account>>.Ok(accounts);
    }

    public async ValueTask<Outcome<Account>> SetSuspendedAsync(Caller caller, string name, bool suspended, CancellationToken cancellationToken)
    {
        if (AuthorizationPolicy.AuthorizeAdministration(caller) is { } denied)
        {
            return denied.As<Account>();
        }

        var record = await _source.GetFromStoreAsync(Key(name), cancellationToken);
        if (record is null || Read(name, record) is not { } account)
        {
            return Outcome<Account>.Fail(HandleResponseCode.HandleNotFound, $"there is no account {name}");
        }

        var changed = account with { Suspended = suspended };
        var written = await _registrar.ModifyValuesAsync(caller, account.Handle, [AccountValue(changed)], cancellationToken);
        return written.IsSuccess ? Outcome<Account>.Ok(changed) : written.Cast<Account>();
    }

    public async ValueTask<Outcome<WriteReceipt>> RemoveAsync(Caller caller, string name, CancellationToken cancellationToken) =>
        AuthorizationPolicy.AuthorizeAdministration(caller) is { } denied
            ? denied.As<WriteReceipt>()
            : await _registrar.DeleteAsync(caller, ReservedTypes.AccountPrefix + "/" + name, cancellationToken);

    /// <summary>Whether the node has any account at all; a node without one gets its first administrator at start-up.</summary>
    public async ValueTask<bool> AnyAsync(CancellationToken cancellationToken)
    {
        var page = await _registrar.ListAsync(System, ReservedTypes.AccountPrefix, 1, null, cancellationToken);
        return page.IsSuccess && page.Value.Handles.Count > 0;
    }

    /// <summary>Creates the first administrator at start-up when it does not exist yet; an existing one is left alone.</summary>
    public async ValueTask<bool> EnsureAdministratorAsync(string name, string password, CancellationToken cancellationToken)
    {
        if (await _source.GetFromStoreAsync(Key(name), cancellationToken) is not null)
        {
            return false;
        }

        var created = await CreateAsync(System, name, password, AccountRole.Administrator, cancellationToken);
        return created.IsSuccess ? true : throw new InvalidOperationException($"The initial administrator could not be created: {created.Message}");
    }

    internal static Refusal? CheckName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64)
        {
            return Refusal.InvalidValue("an account name needs 1 to 64 characters");
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return Refusal.InvalidValue("an account name may only hold ASCII letters, digits, '-', '_' and '.'");
            }
        }

        return null;
    }

    private string Key(string name) => _grammar.TryParse(ReservedTypes.AccountPrefix + "/" + name, out var id, out _)
        ? id.Key
        : throw new ArgumentException("not an account name", nameof(name));

    private static Account? Read(string name, HandleRecord record)
    {
        var value = record.Find(AccountValueIndex);
        if (value is null || !ValueDataFormats.HasType(value.Type, ReservedTypes.Account))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(value.Data);
            var role = json.RootElement.GetProperty("role").GetString() == "administrator" ? AccountRole.Administrator : AccountRole.Enterprise;
            var suspended = json.RootElement.GetProperty("status").GetString() == "suspended";
            var display = record.Handle[(ReservedTypes.AccountPrefix.Length + 1)..];
            return new Account(string.IsNullOrEmpty(display) ? name : display, role, suspended);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static HandleValue AccountValue(Account account) => Private(AccountValueIndex, ReservedTypes.Account,
        $$"""{"role":"{{(account.Role == AccountRole.Administrator ? "administrator" : "enterprise")}}","status":"{{(account.Suspended ? "suspended" : "active")}}"}""");

    private static HandleValue Private(int index, string type, string data) => new()
    {
        Index = index,
        Type = type,
        Data = Encoding.UTF8.GetBytes(data),
        Ttl = AccountTtlSeconds,
        Permissions = ValuePermissions.AdminRead | ValuePermissions.AdminWrite,
    };
}
