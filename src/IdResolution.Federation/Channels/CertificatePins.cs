namespace IdResolution.Federation.Channels;

/// <summary>
/// SHA-256 thumbprints of TLS certificates as sites and settings write them: 64 hex digits, colons
/// allowed, several separated by commas or spaces (two while a certificate is being replaced).
/// </summary>
internal static class CertificatePins
{
    private static readonly char[] Separators = [',', ';', ' ', '\t'];

    /// <summary>The canonical pins (upper-case hex) in <paramref name="text"/>; false when any of them is not a SHA-256 thumbprint.</summary>
    public static bool TryParse(string? text, ICollection<string> pins)
    {
        ArgumentNullException.ThrowIfNull(pins);
        foreach (var part in (text ?? string.Empty).Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (Canonical(part) is not { } pin)
            {
                return false;
            }

            pins.Add(pin);
        }

        return true;
    }

    public static string? Canonical(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hex = text.Replace(":", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();
        return hex.Length == 64 && hex.All(Uri.IsHexDigit) ? hex : null;
    }
}
