using System.Security.Cryptography;
using System.Text;
using IdResolution.Core.Security;

namespace IdResolution.Core.Tests.Security;

public sealed class PublicKeyValueTests
{
    [Fact]
    public void Rsa_keys_are_encoded_as_handle_net_writes_them()
    {
        // Key type "RSA_PUB_KEY" with a 4-byte length; two reserved flag bytes; the exponent and
        // the modulus, each a 4-byte length and Java BigInteger bytes: 65537 is 01 00 01, and a
        // modulus whose top bit is set gets a leading zero byte.
        var modulus = new byte[128];
        modulus[0] = 0xC0;
        modulus[^1] = 0x01;

        var encoded = PublicKeyValue.EncodeRsa(new RSAParameters { Exponent = [0x01, 0x00, 0x01], Modulus = modulus });

        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x0B, .. "RSA_PUB_KEY"u8,
            0x00, 0x00,
            0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x01,
            0x00, 0x00, 0x00, 0x81, 0x00, .. modulus,
        ];
        Assert.Equal(expected, encoded);
    }

    [Fact]
    public void Numbers_are_minimal_and_get_no_zero_byte_when_the_top_bit_is_clear()
    {
        var modulus = new byte[130];
        modulus[1] = 0x40; // leading zero in the input is dropped; 0x40 keeps its top bit clear
        modulus[^1] = 0x01;

        var encoded = PublicKeyValue.EncodeRsa(new RSAParameters { Exponent = [0x00, 0x00, 0x03], Modulus = modulus });

        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x0B, .. "RSA_PUB_KEY"u8,
            0x00, 0x00,
            0x00, 0x00, 0x00, 0x01, 0x03,
            0x00, 0x00, 0x00, 0x81, .. modulus[1..],
        ];
        Assert.Equal(expected, encoded);
    }

    [Fact]
    public void Decoding_reads_numbers_as_unsigned_whether_or_not_they_carry_the_zero_byte()
    {
        var modulus = new byte[128];
        modulus[0] = 0xC0;
        modulus[^1] = 0x01;
        byte[] withZero = [0x00, 0x00, 0x00, 0x0B, .. "RSA_PUB_KEY"u8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x81, 0x00, .. modulus];
        byte[] withoutZero = [0x00, 0x00, 0x00, 0x0B, .. "RSA_PUB_KEY"u8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x80, .. modulus];

        foreach (var data in new[] { withZero, withoutZero })
        {
            Assert.True(PublicKeyValue.TryDecodeRsa(data, out var parameters, out var refusal), refusal);
            Assert.Equal(modulus, parameters.Modulus);
            Assert.Equal([0x01, 0x00, 0x01], parameters.Exponent);
        }
    }

    [Fact]
    public void A_generated_key_round_trips_and_verifies_what_its_private_half_signed()
    {
        using var key = RSA.Create(2048);
        var data = PublicKeyValue.EncodeRsa(key);

        Assert.Equal("RSA_PUB_KEY", PublicKeyValue.ReadKeyType(data));
        Assert.True(PublicKeyValue.TryDecodeRsa(data, out var parameters, out _));
        var original = key.ExportParameters(false);
        Assert.Equal(original.Modulus, parameters.Modulus);
        Assert.Equal(original.Exponent, parameters.Exponent);

        var message = "nonce and cnonce"u8.ToArray();
        var signature = key.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var verifier = PublicKeyValue.TryCreateRsa(data, out var refusal);
        Assert.NotNull(verifier);
        Assert.Empty(refusal);
        Assert.True(verifier.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Dsa_keys_are_refused_with_the_reason()
    {
        byte[] dsa =
        [
            0x00, 0x00, 0x00, 0x0B, .. "DSA_PUB_KEY"u8, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x01, 0x05, 0x00, 0x00, 0x00, 0x01, 0x07, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x03,
        ];

        Assert.False(PublicKeyValue.TryDecodeRsa(dsa, out _, out var refusal));
        Assert.Contains("DSA public keys (DSA_PUB_KEY) are not supported", refusal, StringComparison.Ordinal);
        Assert.Null(PublicKeyValue.TryCreateRsa(dsa, out var again));
        Assert.Equal(refusal, again);
    }

    [Theory]
    [InlineData("", "too short")]
    [InlineData("00000002", "too short")]
    [InlineData("0000000A45435F5055425F4B4559", "Unknown public key type \"EC_PUB_KEY\"")]
    [InlineData("0000000B5253415F5055425F4B45590000", "truncated")]
    [InlineData("0000000B5253415F5055425F4B45590000000000030100010000000401000001", "modulus has 25 bits")]
    public void Malformed_or_unusable_data_is_refused(string hex, string reason)
    {
        Assert.False(PublicKeyValue.TryDecodeRsa(Convert.FromHexString(hex), out _, out var refusal));
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void An_even_exponent_is_refused()
    {
        using var key = RSA.Create(2048);
        var parameters = key.ExportParameters(false);
        parameters.Exponent = [0x01, 0x00, 0x00];

        Assert.False(PublicKeyValue.TryDecodeRsa(PublicKeyValue.EncodeRsa(parameters), out _, out var refusal));
        Assert.Contains("exponent", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_after_the_modulus_are_ignored_as_handle_net_ignores_them()
    {
        using var key = RSA.Create(2048);
        byte[] data = [.. PublicKeyValue.EncodeRsa(key), .. Encoding.ASCII.GetBytes("trailer")];

        Assert.True(PublicKeyValue.TryDecodeRsa(data, out var parameters, out _));
        Assert.Equal(key.ExportParameters(false).Modulus, parameters.Modulus);
    }
}
