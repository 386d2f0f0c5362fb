using System.Security.Cryptography;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Caching;

namespace IdResolution.Core.Security;

/// <summary>
/// Checks what a client offers against the key values of its admin identity <c>index:handle</c>,
/// read from the store (never the cache, so a changed or removed key counts at once).
/// <list type="bullet">
/// <item>a secret key: equal to the data of an HS_SECKEY value (Handle.Net keeps the secret's UTF-8 bytes);</item>
/// <item>a signature of nonce‖cnonce by the private half of an HS_PUBKEY value: RSA, PKCS#1 v1.5, SHA-256;</item>
/// <item>an HMAC-SHA256 of nonce‖cnonce keyed by the data of an HS_SECKEY value.</item>
/// </list>
/// Index 0 means any value of the right type, tried in index order, as in Handle.Net. On success
/// the identity comes back with the handle as stored and the index of the value that matched.
/// </summary>
public sealed class HandleCredentials
{
    /// <summary>The <c>type</c> of a public-key answer (Handle.Net's <c>Common.PUBLIC_KEY_TYPE</c>).</summary>
    public const string PublicKeyType = WellKnownTypes.PublicKey;

    /// <summary>The <c>type</c> of a secret-key answer (Handle.Net's <c>Common.SECRET_KEY_TYPE</c>).</summary>
    public const string SecretKeyType = WellKnownTypes.SecretKey;

    private const int HmacSha256Bytes = 32;
    private readonly HandleGrammar _grammar;
    private readonly CoalescingRecordSource _source;

    public HandleCredentials(HandleGrammar grammar, CoalescingRecordSource source)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        ArgumentNullException.ThrowIfNull(source);
        _grammar = grammar;
        _source = source;
    }

    /// <summary>Basic authentication: the password is the secret key itself.</summary>
    public async ValueTask<Outcome<ValueReference>> VerifySecretKeyAsync(ValueReference identity, ReadOnlyMemory<byte> secret, CancellationToken cancellationToken)
    {
        var keys = await FindAsync(identity, WellKnownTypes.SecretKey, cancellationToken);
        if (!keys.IsSuccess)
        {
            return keys.Cast<ValueReference>();
        }

        // Hashes first, so that the comparison takes the same time whatever the lengths.
        var offered = SHA256.HashData(secret.Span);
        foreach (var value in keys.Value.Values)
        {
            if (!value.Data.IsEmpty && CryptographicOperations.FixedTimeEquals(SHA256.HashData(value.Data.Span), offered))
            {
                return Matched(keys.Value, value);
            }
        }

        return Outcome<ValueReference>.Fail(HandleResponseCode.AuthenticationFailed, $"The secret key does not match {Describe(identity)}.");
    }

    /// <summary>
    /// The answer to a challenge: <paramref name="type"/> and <paramref name="algorithm"/> as the
    /// client named them (HS_PUBKEY with SHA256, or HS_SECKEY with HMAC-SHA256).
    /// </summary>
    public ValueTask<Outcome<ValueReference>> VerifyChallengeAsync(ValueReference identity, string type, string algorithm,
        ReadOnlyMemory<byte> nonce, ReadOnlyMemory<byte> cnonce, ReadOnlyMemory<byte> signature, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(algorithm);
        var alg = Normalise(algorithm);
        if (string.Equals(type, PublicKeyType, StringComparison.Ordinal))
        {
            return alg switch
            {
                "SHA256" or "SHA2" => VerifySignatureAsync(identity, nonce, cnonce, signature, cancellationToken),
                "SHA1" or "SHA" => Refuse(HandleResponseCode.AuthenticationError,
                    "SHA-1 signatures are refused; sign with SHA256 (RSA PKCS#1 v1.5), as current Handle.Net clients do."),
                _ => Refuse(HandleResponseCode.AuthenticationError, $"Unsupported signature algorithm \"{algorithm}\" for HS_PUBKEY; use SHA256."),
            };
        }

        if (string.Equals(type, SecretKeyType, StringComparison.Ordinal))
        {
            return alg == "HMACSHA256"
                ? VerifyMacAsync(identity, nonce, cnonce, signature, cancellationToken)
                : Refuse(HandleResponseCode.AuthenticationError, $"Unsupported algorithm \"{algorithm}\" for HS_SECKEY; use HMAC-SHA256.");
        }

        return Refuse(HandleResponseCode.AuthenticationError, $"Unknown credential type \"{type}\"; use HS_PUBKEY or HS_SECKEY.");
    }

    /// <summary>An RSA PKCS#1 v1.5 SHA-256 signature of nonce‖cnonce by the private half of an HS_PUBKEY value.</summary>
    public async ValueTask<Outcome<ValueReference>> VerifySignatureAsync(ValueReference identity, ReadOnlyMemory<byte> nonce, ReadOnlyMemory<byte> cnonce,
        ReadOnlyMemory<byte> signature, CancellationToken cancellationToken)
    {
        var keys = await FindAsync(identity, WellKnownTypes.PublicKey, cancellationToken);
        if (!keys.IsSuccess)
        {
            return keys.Cast<ValueReference>();
        }

        var signed = Concat(nonce.Span, cnonce.Span);
        string? unusable = null;
        var usable = false;
        foreach (var value in keys.Value.Values)
        {
            using var rsa = PublicKeyValue.TryCreateRsa(value.Data.Span, out var refusal);
            if (rsa is null)
            {
                unusable = $"{value.Index}:{keys.Value.Handle}: {refusal}";
                continue;
            }

            usable = true;
            if (rsa.VerifyData(signed, signature.Span, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return Matched(keys.Value, value);
            }
        }

        return usable || unusable is null
            ? Outcome<ValueReference>.Fail(HandleResponseCode.AuthenticationFailed, $"The signature does not verify with the public key of {Describe(identity)}.")
            : Outcome<ValueReference>.Fail(HandleResponseCode.InvalidCredential, unusable);
    }

    /// <summary>An HMAC-SHA256 of nonce‖cnonce keyed by the data of an HS_SECKEY value.</summary>
    public async ValueTask<Outcome<ValueReference>> VerifyMacAsync(ValueReference identity, ReadOnlyMemory<byte> nonce, ReadOnlyMemory<byte> cnonce,
        ReadOnlyMemory<byte> mac, CancellationToken cancellationToken)
    {
        var keys = await FindAsync(identity, WellKnownTypes.SecretKey, cancellationToken);
        if (!keys.IsSuccess)
        {
            return keys.Cast<ValueReference>();
        }

        var signed = Concat(nonce.Span, cnonce.Span);
        Span<byte> expected = stackalloc byte[HmacSha256Bytes];
        foreach (var value in keys.Value.Values)
        {
            if (value.Data.IsEmpty)
            {
                continue;
            }

            HMACSHA256.HashData(value.Data.Span, signed, expected);
            if (CryptographicOperations.FixedTimeEquals(expected, mac.Span))
            {
                return Matched(keys.Value, value);
            }
        }

        return Outcome<ValueReference>.Fail(HandleResponseCode.AuthenticationFailed, $"The HMAC does not verify with the secret key of {Describe(identity)}.");
    }

    private async ValueTask<Outcome<KeyValues>> FindAsync(ValueReference identity, string type, CancellationToken cancellationToken)
    {
        if (identity.Index < 0)
        {
            return Outcome<KeyValues>.Fail(HandleResponseCode.InvalidAdmin, $"\"{Describe(identity)}\" is not an admin identity: the index is negative.");
        }

        if (!_grammar.TryParse(identity.Handle, out var id, out var error))
        {
            return Outcome<KeyValues>.Fail(HandleResponseCode.InvalidAdmin, $"\"{Describe(identity)}\" is not an admin identity: {_grammar.Describe(error)}.");
        }

        var record = await _source.GetFromStoreAsync(id.Key, cancellationToken);
        if (record is null)
        {
            return Outcome<KeyValues>.Fail(HandleResponseCode.InvalidAdmin, $"The admin handle {identity.Handle} does not exist.");
        }

        List<HandleValue> values = [];
        foreach (var value in record.Values)
        {
            if ((identity.Index == 0 || value.Index == identity.Index) && string.Equals(value.Type, type, StringComparison.Ordinal))
            {
                values.Add(value);
            }
        }

        if (values.Count == 0)
        {
            return Outcome<KeyValues>.Fail(HandleResponseCode.InvalidAdmin, identity.Index == 0
                ? $"The admin handle {identity.Handle} has no {type} value."
                : $"{Describe(identity)} is not an {type} value.");
        }

        values.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        return Outcome<KeyValues>.Ok(new KeyValues(record.Handle, values));
    }

    private static Outcome<ValueReference> Matched(KeyValues keys, HandleValue value) =>
        Outcome<ValueReference>.Ok(new ValueReference(keys.Handle, value.Index));

    private static ValueTask<Outcome<ValueReference>> Refuse(HandleResponseCode code, string message) =>
        ValueTask.FromResult(Outcome<ValueReference>.Fail(code, message));

    private static string Describe(ValueReference identity) => AdminIdentity.Format(identity);

    private static byte[] Concat(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var result = new byte[first.Length + second.Length];
        first.CopyTo(result);
        second.CopyTo(result.AsSpan(first.Length));
        return result;
    }

    /// <summary>Handle.Net compares algorithm names ignoring case and punctuation ("HMAC-SHA256" = "HmacSHA256").</summary>
    private static string Normalise(string algorithm)
    {
        Span<char> buffer = stackalloc char[Math.Min(algorithm.Length, 64)];
        var length = 0;
        foreach (var c in algorithm)
        {
            if (char.IsAsciiLetterOrDigit(c) && length < buffer.Length)
            {
                buffer[length++] = char.ToUpperInvariant(c);
            }
        }

        return new string(buffer[..length]);
    }

    private sealed record KeyValues(string Handle, List<HandleValue> Values);
}
