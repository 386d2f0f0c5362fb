using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;

namespace IdResolution.Core.Registration;

/// <summary>
/// Listing cursors handed to clients: the last key of a page, base64url-encoded. Opaque to clients,
/// and checked on the way back in so a token from another prefix cannot list outside it.
/// </summary>
public static class PageToken
{
    public static string Encode(string afterKey) => Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(afterKey));

    public static bool TryDecode(string token, string prefixKey, [NotNullWhen(true)] out string? afterKey)
    {
        ArgumentNullException.ThrowIfNull(prefixKey);
        afterKey = null;
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            return false;
        }

        try
        {
            var key = System.Text.Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (key.Length > prefixKey.Length && key.StartsWith(prefixKey, StringComparison.Ordinal) && key[prefixKey.Length] == '/')
            {
                afterKey = key;
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
