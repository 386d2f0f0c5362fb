namespace IdResolution.Core.Storage;

/// <summary>
/// Which keys enter a store's change log: every key but the node's accounts (<c>0.USER/*</c>), which are
/// local to each node and carry password hashes that must never leave it through filing or escrow.
/// </summary>
public static class ChangeFeedScope
{
    /// <summary>The canonical key prefix of accounts, slash included.</summary>
    public const string AccountKeyPrefix = "0.USER/";

    public static bool Includes(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return !key.StartsWith(AccountKeyPrefix, StringComparison.Ordinal);
    }
}
