namespace IdResolution.Core.Identifiers;

/// <summary>Limits and case rules of the identifier grammar (configuration section <c>Identifiers</c>).</summary>
public sealed class HandleSyntaxOptions
{
    /// <summary>Longest handle in UTF-8 bytes; 255 is the limit of the secondary-node API used in the ecosystem.</summary>
    public int MaxHandleBytes { get; set; } = 255;

    /// <summary>Longest prefix in UTF-8 bytes; 64 is the same API's prefix limit.</summary>
    public int MaxPrefixBytes { get; set; } = 64;

    /// <summary>Suffixes match ASCII-case-insensitively unless this is set (Handle.Net's <c>case_sensitive</c>).</summary>
    public bool CaseSensitiveSuffixes { get; set; }
}
