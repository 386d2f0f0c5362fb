namespace IdResolution.Core.Security;

/// <summary>
/// Value types and namespaces the node itself manages. Only node administrators may write them,
/// whatever HS_ADMIN says, so an enterprise cannot lift its own suspension or read password hashes.
/// </summary>
public static class ReservedTypes
{
    /// <summary>Prefix of every node-managed value type.</summary>
    public const string Prefix = "IDRES_";

    /// <summary>On a prefix handle: "active" or "suspended".</summary>
    public const string PrefixStatus = "IDRES_STATUS";

    /// <summary>On an account handle: the account's role and status (JSON).</summary>
    public const string Account = "IDRES_ACCOUNT";

    /// <summary>On an account handle: the salted slow hash of its password.</summary>
    public const string PasswordHash = "IDRES_PASSWORD";

    /// <summary>On a prefix handle delegated to a child node: one of the child's credentials (<see cref="NodeCredential"/>).</summary>
    public const string NodeCredential = "IDRES_NODE_CREDENTIAL";

    /// <summary>On a prefix handle delegated to a child node: the child's name and admission, as JSON.</summary>
    public const string Node = "IDRES_NODE";

    /// <summary>On a prefix handle a child filed: the child's record version of the newest filing applied.</summary>
    public const string Filed = "IDRES_FILED";

    /// <summary>Accounts live under this prefix: <c>0.USER/acme</c>.</summary>
    public const string AccountPrefix = "0.USER";

    /// <summary>The index of an account's identity value; bearer tokens authenticate as <c>300:0.USER/name</c>.</summary>
    public const int AccountIdentityIndex = 300;

    public static bool IsReserved(string type) => type.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);
}
