namespace IdResolution.Core.Security;

public enum AccountRole
{
    Enterprise,
    Administrator,
}

/// <summary>An account of the node, as stored on its handle <c>0.USER/&lt;name&gt;</c>.</summary>
public sealed record Account(string Name, AccountRole Role, bool Suspended)
{
    public string Handle => ReservedTypes.AccountPrefix + "/" + Name;

    /// <summary>The caller an authenticated account acts as.</summary>
    public Caller AsCaller(string clientAddress) => Role == AccountRole.Administrator
        ? Caller.Administrator(Name, clientAddress)
        : Caller.Admin(new Records.ValueReference(Handle, ReservedTypes.AccountIdentityIndex), Name, clientAddress);
}

/// <summary>A prefix allocated by this node: who owns it and whether it is suspended.</summary>
public sealed record AllocatedPrefix(string Prefix, string? Owner, bool Suspended);
