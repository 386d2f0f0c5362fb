namespace IdResolution.Core.Records;

/// <summary>The four per-value permission flags of RFC 3651 (execute bits are never used).</summary>
[Flags]
public enum ValuePermissions
{
    None = 0,
    PublicWrite = 1,
    PublicRead = 2,
    AdminWrite = 4,
    AdminRead = 8,

    /// <summary>Admin read and write, public read: what a value gets when none are given.</summary>
    Default = AdminRead | AdminWrite | PublicRead,
}
