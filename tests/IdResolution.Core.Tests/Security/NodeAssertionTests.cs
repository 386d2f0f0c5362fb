using System.Security.Cryptography;
using IdResolution.Core.Security;

namespace IdResolution.Core.Tests.Security;

/// <summary>The signed assertion one node sends another: valid, tampered, expired, from a rotated-out key.</summary>
public sealed class NodeAssertionTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _key.Dispose();
        _other.Dispose();
    }

    private string Spki(ECDsa key) => NodeCredential.ForKey(key).Value;

    [Fact]
    public void An_assertion_verifies_against_the_admitted_key_and_names_its_issuer()
    {
        var assertion = NodeAssertion.Create(_key, "88.709", Now, TimeSpan.FromMinutes(1));

        Assert.Equal("88.709", NodeAssertion.ClaimedIssuer(assertion));
        Assert.Null(NodeAssertion.Verify(assertion, "88.709", [Spki(_key)], Now.AddSeconds(30)));
        Assert.Null(NodeAssertion.Verify(assertion, "88.709", [Spki(_other), Spki(_key)], Now));
    }

    [Fact]
    public void A_tampered_assertion_or_another_issuer_is_refused()
    {
        var assertion = NodeAssertion.Create(_key, "88.709", Now, TimeSpan.FromMinutes(1));
        var parts = assertion.Split('.');
        var forged = parts[0] + "." + System.Buffers.Text.Base64Url.EncodeToString("""{"iss":"88.710","aud":"idresolution-federation","iat":1,"exp":2}"""u8) + "." + parts[2];
        var flipped = assertion[..^2] + (assertion[^2] == 'A' ? 'B' : 'A') + assertion[^1];

        Assert.NotNull(NodeAssertion.Verify(forged, "88.710", [Spki(_key)], Now));
        Assert.NotNull(NodeAssertion.Verify(flipped, "88.709", [Spki(_key)], Now));
        Assert.NotNull(NodeAssertion.Verify(assertion, "88.710", [Spki(_key)], Now));
        Assert.NotNull(NodeAssertion.Verify("not.a.jws", "88.709", [Spki(_key)], Now));
    }

    [Fact]
    public void An_expired_assertion_is_refused_beyond_the_clock_skew()
    {
        var assertion = NodeAssertion.Create(_key, "88.709", Now, TimeSpan.FromMinutes(1));

        Assert.Null(NodeAssertion.Verify(assertion, "88.709", [Spki(_key)], Now.AddMinutes(1) + NodeAssertion.ClockSkew));
        Assert.Contains("expired", NodeAssertion.Verify(assertion, "88.709", [Spki(_key)], Now.AddMinutes(1) + NodeAssertion.ClockSkew + TimeSpan.FromSeconds(2)), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => NodeAssertion.Create(_key, "88.709", Now, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void A_key_rotated_out_no_longer_verifies()
    {
        var old = NodeAssertion.Create(_key, "88.709", Now, TimeSpan.FromMinutes(1));

        Assert.Null(NodeAssertion.Verify(old, "88.709", [Spki(_key), Spki(_other)], Now));
        Assert.Contains("not signed by a key admitted", NodeAssertion.Verify(old, "88.709", [Spki(_other)], Now), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("key:not-base64")]
    [InlineData("cert:1234")]
    [InlineData("password:x")]
    [InlineData("")]
    public void A_credential_that_is_not_one_is_refused_with_the_reason(string text)
    {
        Assert.False(NodeCredential.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Credentials_parse_and_print_back_and_show_only_a_fingerprint()
    {
        var key = NodeCredential.ForKey(_key);
        Assert.True(NodeCredential.TryParse(key.ToString(), out var parsed, out _));
        Assert.Equal(key, parsed);
        Assert.StartsWith("key:", key.Fingerprint, StringComparison.Ordinal);
        Assert.Equal(20, key.Fingerprint.Length);

        var thumbprint = Convert.ToHexString(SHA256.HashData("cert"u8));
        Assert.True(NodeCredential.TryParse("cert:" + thumbprint.ToLowerInvariant(), out var certificate, out _));
        Assert.Equal(NodeCredentialKind.Certificate, certificate.Kind);
        Assert.Equal(thumbprint, certificate.Value);
    }
}

/// <summary>The node key file: made once, private to the node's user, the same key after a restart.</summary>
public sealed class NodeKeyFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "idres-nodekey-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_key_is_made_at_first_start_with_owner_only_access_and_read_back_after()
    {
        var path = Path.Combine(_directory, "keys", "node-key.pem");
        using var first = NodeKeyFile.LoadOrCreate(path);
        using var second = NodeKeyFile.LoadOrCreate(path);

        Assert.Equal(NodeCredential.ForKey(first), NodeCredential.ForKey(second));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void A_file_that_is_not_a_key_is_refused_with_its_path()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "node-key.pem");
        File.WriteAllText(path, "not a key");
        var error = Assert.Throws<InvalidDataException>(() => NodeKeyFile.LoadOrCreate(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
