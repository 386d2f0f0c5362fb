using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace IdResolution.Core.Security;

/// <summary>
/// The proof a node sends with each call to another node: a compact JWS (ES256) signed with its node key,
/// naming the prefix it holds (<c>iss</c>), when it was made and until when it holds (at most
/// <see cref="MaxLifetime"/>). Written by hand rather than with a JWT library because both sides need only
/// this one fixed shape, and the core takes no dependencies.
/// </summary>
public static class NodeAssertion
{
    /// <summary>The HTTP authorization scheme of node-to-node calls.</summary>
    public const string Scheme = "IdresNode";

    public const string Audience = "idresolution-federation";

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(2);

    /// <summary>Clocks of two nodes may differ this much.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private static readonly byte[] Header = Encoding.UTF8.GetBytes("""{"alg":"ES256","typ":"JWT"}""");

    public static string Create(ECDsa key, string issuerPrefix, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(issuerPrefix);
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"at most {MaxLifetime}");
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = issuerPrefix,
            ["aud"] = Audience,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
            ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)),
        });
        var signingInput = Base64Url.EncodeToString(Header) + "." + Base64Url.EncodeToString(payload);
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The issuer the assertion claims, read without checking anything (to find its credentials).</summary>
    public static string? ClaimedIssuer(string assertion)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        return TryRead(assertion, out _, out var payload, out _) && payload.TryGetProperty("iss", out var iss) && iss.ValueKind == JsonValueKind.String
            ? iss.GetString()
            : null;
    }

    /// <summary>
    /// Checks the signature against each of <paramref name="keys"/> (base64 SubjectPublicKeyInfo), the
    /// audience and the time window; returns null when it holds, else why not.
    /// </summary>
    public static string? Verify(string assertion, string issuerPrefix, IEnumerable<string> keys, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        ArgumentNullException.ThrowIfNull(keys);
        if (!TryRead(assertion, out var signingInput, out var payload, out var signature))
        {
            return "the node assertion is not a compact ES256 JWS";
        }

        if (!Claim(payload, "iss", out var iss) || !string.Equals(iss.GetString(), issuerPrefix, StringComparison.OrdinalIgnoreCase)
            || !Claim(payload, "aud", out var aud) || aud.GetString() != Audience)
        {
            return "the node assertion names another issuer or audience";
        }

        if (!Claim(payload, "iat", out var iat) || !iat.TryGetInt64(out var issued) || !Claim(payload, "exp", out var exp) || !exp.TryGetInt64(out var expires))
        {
            return "the node assertion carries no validity period";
        }

        var nowSeconds = now.ToUnixTimeSeconds();
        if (expires - issued > (long)MaxLifetime.TotalSeconds || issued > nowSeconds + (long)ClockSkew.TotalSeconds)
        {
            return "the node assertion's validity period is not acceptable";
        }

        if (expires + (long)ClockSkew.TotalSeconds < nowSeconds)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the node assertion expired {nowSeconds - expires} s ago");
        }

        var data = Encoding.ASCII.GetBytes(signingInput);
        foreach (var encoded in keys)
        {
            try
            {
                using var key = ECDsa.Create();
                key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(encoded), out _);
                if (key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
                {
                    return null;
                }
            }
            catch (Exception exception) when (exception is FormatException or CryptographicException)
            {
                // A damaged stored key cannot verify anything; the next one may.
            }
        }

        return "the node assertion is not signed by a key admitted for " + issuerPrefix;
    }

    private static bool Claim(JsonElement payload, string name, out JsonElement value) =>
        payload.TryGetProperty(name, out value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number;

    private static bool TryRead(string assertion, out string signingInput, out JsonElement payload, out byte[] signature)
    {
        signingInput = string.Empty;
        payload = default;
        signature = [];
        var parts = assertion.Split('.');
        if (parts.Length != 3 || assertion.Length > 4096)
        {
            return false;
        }

        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            if (!header.RootElement.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "ES256")
            {
                return false;
            }

            using var body = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            payload = body.RootElement.Clone();
            signature = Base64Url.DecodeFromChars(parts[2]);
            signingInput = parts[0] + "." + parts[1];
            return signature.Length == 64;
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            return false;
        }
    }
}
