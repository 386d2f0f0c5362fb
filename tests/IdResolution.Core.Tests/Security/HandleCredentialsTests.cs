using System.Security.Cryptography;
using System.Text;
using IdResolution.Core.Records;
using IdResolution.Core.Security;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Security;

public sealed class HandleCredentialsTests : IDisposable
{
    private const string AdminHandle = "0.NA/88.709.911";
    private const ValuePermissions AdminOnly = ValuePermissions.AdminRead | ValuePermissions.AdminWrite;

    private readonly Node _node = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly HandleCredentials _credentials;

    public HandleCredentialsTests() => _credentials = new HandleCredentials(_node.Grammar, _node.Source);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _key.Dispose();
        _node.Dispose();
    }

    [Fact]
    public async Task A_secret_key_matches_the_hs_seckey_value_at_its_index()
    {
        await CreateAdminAsync();

        var outcome = await _credentials.VerifySecretKeyAsync(new ValueReference("0.na/88.709.911", 301), "s3cret"u8.ToArray(), Token);

        Assert.True(outcome.IsSuccess, outcome.Message);
        Assert.Equal(new ValueReference(AdminHandle, 301), outcome.Value);
    }

    [Fact]
    public async Task A_wrong_secret_a_wrong_index_and_an_unknown_handle_are_refused()
    {
        await CreateAdminAsync();

        var wrong = await _credentials.VerifySecretKeyAsync(new ValueReference(AdminHandle, 301), "s3cret!"u8.ToArray(), Token);
        Assert.Equal(HandleResponseCode.AuthenticationFailed, wrong.Code);

        var prefixOnly = await _credentials.VerifySecretKeyAsync(new ValueReference(AdminHandle, 301), "s3cre"u8.ToArray(), Token);
        Assert.Equal(HandleResponseCode.AuthenticationFailed, prefixOnly.Code);

        var publicKeyIndex = await _credentials.VerifySecretKeyAsync(new ValueReference(AdminHandle, 300), "s3cret"u8.ToArray(), Token);
        Assert.Equal(HandleResponseCode.InvalidAdmin, publicKeyIndex.Code);
        Assert.Contains("300:0.NA/88.709.911 is not an HS_SECKEY value", publicKeyIndex.Message, StringComparison.Ordinal);

        var unknown = await _credentials.VerifySecretKeyAsync(new ValueReference("0.NA/88.709.999", 301), "s3cret"u8.ToArray(), Token);
        Assert.Equal(HandleResponseCode.InvalidAdmin, unknown.Code);

        var invalid = await _credentials.VerifySecretKeyAsync(new ValueReference("no-slash", 301), "s3cret"u8.ToArray(), Token);
        Assert.Equal(HandleResponseCode.InvalidAdmin, invalid.Code);
    }

    [Fact]
    public async Task Index_zero_tries_every_key_value_of_the_type_and_names_the_one_that_matched()
    {
        await CreateAdminAsync(HsSecKey(305, "other"));

        var outcome = await _credentials.VerifySecretKeyAsync(new ValueReference(AdminHandle, 0), "other"u8.ToArray(), Token);

        Assert.True(outcome.IsSuccess, outcome.Message);
        Assert.Equal(305, outcome.Value.Index);
    }

    [Fact]
    public async Task Keys_are_read_from_the_store_not_the_cache()
    {
        await CreateAdminAsync();
        Assert.True((await _node.ResolveAsync(AdminHandle)).IsSuccess); // now cached

        // Another node changes the secret in a shared store; this node's cache does not know.
        var record = _node.Store.Peek(AdminHandle)!;
        var changed = record.Values.Select(v => v.Index == 301 ? HsSecKey(301, "rotated") : v).ToList();
        _node.Store.Put(AdminHandle, new HandleRecord(record.Handle, changed, record.Version + 1));

        Assert.False((await _credentials.VerifySecretKeyAsync(new ValueReference(AdminHandle, 301), "s3cret"u8.ToArray(), Token)).IsSuccess);
        Assert.True((await _credentials.VerifySecretKeyAsync(new ValueReference(AdminHandle, 301), "rotated"u8.ToArray(), Token)).IsSuccess);
    }

    [Fact]
    public async Task An_rsa_sha256_signature_of_nonce_then_cnonce_verifies()
    {
        await CreateAdminAsync();
        var nonce = RandomNumberGenerator.GetBytes(32);
        var cnonce = RandomNumberGenerator.GetBytes(16);
        var signature = _key.SignData([.. nonce, .. cnonce], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var outcome = await _credentials.VerifyChallengeAsync(new ValueReference(AdminHandle, 300), "HS_PUBKEY", "SHA256", nonce, cnonce, signature, Token);

        Assert.True(outcome.IsSuccess, outcome.Message);
        Assert.Equal(new ValueReference(AdminHandle, 300), outcome.Value);
        Assert.True((await _credentials.VerifyChallengeAsync(new ValueReference(AdminHandle, 0), "HS_PUBKEY", "SHA-256", nonce, cnonce, signature, Token)).IsSuccess);
    }

    [Fact]
    public async Task Tampered_swapped_or_foreign_signatures_do_not_verify()
    {
        await CreateAdminAsync();
        var nonce = RandomNumberGenerator.GetBytes(32);
        var cnonce = RandomNumberGenerator.GetBytes(16);
        var signature = _key.SignData([.. nonce, .. cnonce], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var identity = new ValueReference(AdminHandle, 300);

        var tampered = (byte[])signature.Clone();
        tampered[10] ^= 0x01;
        Assert.Equal(HandleResponseCode.AuthenticationFailed,
            (await _credentials.VerifyChallengeAsync(identity, "HS_PUBKEY", "SHA256", nonce, cnonce, tampered, Token)).Code);

        // The order is nonce then cnonce.
        Assert.False((await _credentials.VerifyChallengeAsync(identity, "HS_PUBKEY", "SHA256", cnonce, nonce, signature, Token)).IsSuccess);

        using var other = RSA.Create(2048);
        var foreign = other.SignData([.. nonce, .. cnonce], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.False((await _credentials.VerifyChallengeAsync(identity, "HS_PUBKEY", "SHA256", nonce, cnonce, foreign, Token)).IsSuccess);

        Assert.False((await _credentials.VerifyChallengeAsync(identity, "HS_PUBKEY", "SHA256", nonce, cnonce, ReadOnlyMemory<byte>.Empty, Token)).IsSuccess);
    }

    [Fact]
    public async Task Sha1_and_unknown_algorithms_are_refused_with_the_reason()
    {
        await CreateAdminAsync();
        var nonce = RandomNumberGenerator.GetBytes(32);
        var cnonce = RandomNumberGenerator.GetBytes(16);
        var sha1 = _key.SignData([.. nonce, .. cnonce], HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        var identity = new ValueReference(AdminHandle, 300);

        var refused = await _credentials.VerifyChallengeAsync(identity, "HS_PUBKEY", "SHA1", nonce, cnonce, sha1, Token);
        Assert.Equal(HandleResponseCode.AuthenticationError, refused.Code);
        Assert.Contains("SHA-1 signatures are refused", refused.Message, StringComparison.Ordinal);

        Assert.Contains("use HMAC-SHA256", (await _credentials.VerifyChallengeAsync(new ValueReference(AdminHandle, 301), "HS_SECKEY", "PBKDF2-HMAC-SHA1", nonce, cnonce, sha1, Token)).Message, StringComparison.Ordinal);
        Assert.Contains("use SHA256", (await _credentials.VerifyChallengeAsync(identity, "HS_PUBKEY", "HMAC-SHA256", nonce, cnonce, sha1, Token)).Message, StringComparison.Ordinal);
        Assert.Contains("Unknown credential type", (await _credentials.VerifyChallengeAsync(identity, "HS_CERT", "SHA256", nonce, cnonce, sha1, Token)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unusable_stored_key_is_reported_as_an_invalid_credential()
    {
        byte[] dsa = [0x00, 0x00, 0x00, 0x0B, .. "DSA_PUB_KEY"u8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x05];
        await CreateAdminAsync(new HandleValue { Index = 310, Type = WellKnownTypes.PublicKey, Data = dsa, Permissions = AdminOnly });

        var outcome = await _credentials.VerifyChallengeAsync(new ValueReference(AdminHandle, 310), "HS_PUBKEY", "SHA256", new byte[16], new byte[16], new byte[256], Token);

        Assert.Equal(HandleResponseCode.InvalidCredential, outcome.Code);
        Assert.Contains("DSA public keys (DSA_PUB_KEY) are not supported", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hmac_is_hmac_sha256_keyed_by_the_secret_over_nonce_then_cnonce()
    {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?", split here into nonce and cnonce.
        await CreateAdminAsync(HsSecKey(302, "Jefe"));
        var nonce = Encoding.ASCII.GetBytes("what do ya ");
        var cnonce = Encoding.ASCII.GetBytes("want for nothing?");
        var mac = Convert.FromHexString("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

        var outcome = await _credentials.VerifyChallengeAsync(new ValueReference(AdminHandle, 302), "HS_SECKEY", "HMAC-SHA256", nonce, cnonce, mac, Token);
        Assert.True(outcome.IsSuccess, outcome.Message);
        Assert.Equal(302, outcome.Value.Index);

        Assert.True((await _credentials.VerifyChallengeAsync(new ValueReference(AdminHandle, 302), "HS_SECKEY", "HmacSHA256", nonce, cnonce, mac, Token)).IsSuccess);

        mac[0] ^= 0x80;
        Assert.Equal(HandleResponseCode.AuthenticationFailed,
            (await _credentials.VerifyChallengeAsync(new ValueReference(AdminHandle, 302), "HS_SECKEY", "HMAC-SHA256", nonce, cnonce, mac, Token)).Code);
    }

    private static HandleValue HsSecKey(int index, string secret) =>
        new() { Index = index, Type = WellKnownTypes.SecretKey, Data = Encoding.UTF8.GetBytes(secret), Permissions = AdminOnly };

    private async Task CreateAdminAsync(params HandleValue[] extra)
    {
        HandleValue[] values =
        [
            new() { Index = 100, Type = WellKnownTypes.Admin, Data = new AdminValue(AdminHandle, 300, AdminPermissions.All).Encode() },
            new() { Index = 300, Type = WellKnownTypes.PublicKey, Data = PublicKeyValue.EncodeRsa(_key), Permissions = AdminOnly },
            HsSecKey(301, "s3cret"),
            .. extra,
        ];
        var created = await _node.CreateAsync(AdminHandle, values);
        Assert.True(created.IsSuccess, created.Message);
    }
}
