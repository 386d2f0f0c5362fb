namespace IdResolution.Core.Identifiers;

/// <summary>
/// A parsed identifier: the registrant's spelling (NFC) for display and the canonical key used to store
/// and find it. Two identifiers name the same record exactly when their keys are equal.
/// </summary>
public sealed class HandleId : IEquatable<HandleId>
{
    /// <summary>The naming-authority prefix that names prefix handles, as in <c>0.NA/88.709.911</c>.</summary>
    public const string NamingAuthorityPrefix = "0.NA";

    internal HandleId(string text, string key, int slashIndex)
    {
        Text = text;
        Key = key;
        SlashIndex = slashIndex;
    }

    /// <summary>The identifier as the registrant wrote it, NFC-normalised.</summary>
    public string Text { get; }

    /// <summary>The canonical form: prefix ASCII-upper-cased, suffix too unless suffixes are case-sensitive.</summary>
    public string Key { get; }

    /// <summary>Position of the first '/', which separates prefix and suffix.</summary>
    public int SlashIndex { get; }

    public ReadOnlySpan<char> Prefix => Text.AsSpan(0, SlashIndex);

    public ReadOnlySpan<char> Suffix => Text.AsSpan(SlashIndex + 1);

    /// <summary>The canonical prefix; keys of all identifiers under one prefix start with it and a '/'.</summary>
    public string PrefixKey => Key[..SlashIndex];

    /// <summary>True for <c>0.NA/&lt;prefix&gt;</c>, the handle that describes a prefix.</summary>
    public bool IsPrefixHandle => Key.AsSpan(0, SlashIndex).SequenceEqual(NamingAuthorityPrefix);

    public bool Equals(HandleId? other) => other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is HandleId other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    public override string ToString() => Text;
}
