using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using IdResolution.Core.Wire;

namespace IdResolution.Core.Security;

/// <summary>
/// The data of an HS_PUBKEY value, in Handle.Net's layout: the key type as a length-prefixed
/// string (<c>RSA_PUB_KEY</c>, <c>DSA_PUB_KEY</c>, <c>DH_PUB_KEY</c>), two reserved flag bytes,
/// then the key's numbers as length-prefixed big-endian integers. For RSA: exponent, then modulus.
/// Handle.Net writes the numbers as Java writes a <c>BigInteger</c> (two's complement, so a
/// leading zero byte when the top bit is set) and reads them as unsigned; this does the same.
/// </summary>
public static class PublicKeyValue
{
    public const string RsaKeyType = "RSA_PUB_KEY";
    public const string DsaKeyType = "DSA_PUB_KEY";
    public const string DhKeyType = "DH_PUB_KEY";

    /// <summary>Smallest RSA modulus accepted for verification; older Handle.Net keys are 1024 bits.</summary>
    public const int MinRsaBits = 1024;

    public const int MaxRsaBits = 16384;

    /// <summary>Encodes an RSA public key as HS_PUBKEY data, byte for byte as Handle.Net does.</summary>
    public static byte[] EncodeRsa(RSAParameters parameters)
    {
        if (parameters.Modulus is null || parameters.Exponent is null)
        {
            throw new ArgumentException("The RSA parameters have no public key.", nameof(parameters));
        }

        var buffer = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(buffer);
        writer.WriteString(RsaKeyType);
        writer.WriteUInt16(0);
        writer.WriteBytes(SignedMagnitude(parameters.Exponent));
        writer.WriteBytes(SignedMagnitude(parameters.Modulus));
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes the public half of <paramref name="key"/>.</summary>
    public static byte[] EncodeRsa(RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return EncodeRsa(key.ExportParameters(includePrivateParameters: false));
    }

    /// <summary>The key type named at the start of the data, or null when the data is too short to name one.</summary>
    public static string? ReadKeyType(ReadOnlySpan<byte> data)
    {
        var reader = new WireReader(data);
        return reader.TryReadString(out var type) ? type : null;
    }

    /// <summary>
    /// Reads an RSA public key from HS_PUBKEY data. Returns false, with a reason a person can act
    /// on, for truncated data, other key types (DSA and DH are not supported), and unusable sizes.
    /// Bytes after the modulus are ignored, as Handle.Net ignores them.
    /// </summary>
    public static bool TryDecodeRsa(ReadOnlySpan<byte> data, out RSAParameters parameters, out string refusal)
    {
        parameters = default;
        var reader = new WireReader(data);
        if (!reader.TryReadBytes(out var type))
        {
            refusal = "The HS_PUBKEY data is too short to hold a key type.";
            return false;
        }

        if (!type.SequenceEqual(Encoding.ASCII.GetBytes(RsaKeyType)))
        {
            refusal = Describe(type);
            return false;
        }

        if (!reader.TryReadUInt16(out _) || !reader.TryReadBytes(out var exponent) || !reader.TryReadBytes(out var modulus))
        {
            refusal = "The RSA_PUB_KEY data is truncated: it needs flags, an exponent and a modulus.";
            return false;
        }

        var e = Unsigned(exponent);
        var n = Unsigned(modulus);
        var bits = BitLength(n);
        if (bits < MinRsaBits || bits > MaxRsaBits)
        {
            refusal = $"The RSA modulus has {bits} bits; from {MinRsaBits} to {MaxRsaBits} are accepted.";
            return false;
        }

        if (e.IsEmpty || e.Length > n.Length || (e[^1] & 1) == 0 || (e.Length == 1 && e[0] < 3))
        {
            refusal = "The RSA public exponent is not a usable odd number of at least 3.";
            return false;
        }

        parameters = new RSAParameters { Exponent = e.ToArray(), Modulus = n.ToArray() };
        refusal = string.Empty;
        return true;
    }

    /// <summary>Makes a verification key from HS_PUBKEY data, or null (with the reason) when it cannot.</summary>
    public static RSA? TryCreateRsa(ReadOnlySpan<byte> data, out string refusal)
    {
        if (!TryDecodeRsa(data, out var parameters, out refusal))
        {
            return null;
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(parameters);
            return rsa;
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
            refusal = "The RSA public key could not be loaded.";
            return null;
        }
    }

    private static string Describe(ReadOnlySpan<byte> type)
    {
        var name = Encoding.UTF8.GetString(type);
        return name switch
        {
            DsaKeyType => "DSA public keys (DSA_PUB_KEY) are not supported: DSA is withdrawn from current signature standards (FIPS 186-5); register an RSA key.",
            DhKeyType => "Diffie-Hellman keys (DH_PUB_KEY) cannot verify signatures; register an RSA key.",
            _ => $"Unknown public key type \"{name}\"; only {RsaKeyType} is supported.",
        };
    }

    /// <summary>Java's <c>BigInteger.toByteArray</c> for a non-negative number: minimal, with a zero byte when the top bit is set.</summary>
    private static byte[] SignedMagnitude(byte[] value)
    {
        var magnitude = Unsigned(value);
        if (magnitude.IsEmpty)
        {
            return [0];
        }

        if (magnitude[0] < 0x80)
        {
            return magnitude.ToArray();
        }

        var result = new byte[magnitude.Length + 1];
        magnitude.CopyTo(result.AsSpan(1));
        return result;
    }

    private static ReadOnlySpan<byte> Unsigned(ReadOnlySpan<byte> value)
    {
        var zeros = value.IndexOfAnyExcept((byte)0);
        return zeros < 0 ? [] : value[zeros..];
    }

    private static int BitLength(ReadOnlySpan<byte> magnitude) =>
        magnitude.IsEmpty ? 0 : ((magnitude.Length - 1) * 8) + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)magnitude[0]));
}
