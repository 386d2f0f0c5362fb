using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using IdResolution.Node.Security;
using IdResolution.Node.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace IdResolution.Node.Tests.Security;

/// <summary>Handle.Net's challenge-response: WWW-Authenticate: Handle sessionId, nonce; the answer signs nonce‖cnonce.</summary>
public sealed class HandleChallengeTests : IClassFixture<HandleAdminNode>
{
    private readonly HandleAdminNode _node;

    public HandleChallengeTests(HandleAdminNode node) => _node = node;

    [Fact]
    public async Task A_challenge_is_401_with_a_session_and_a_fresh_random_nonce()
    {
        var response = await HandleAdminNode.ChallengeAsync(_node.Request(authorization: null), HandleSchemes.Challenge);

        Assert.Equal(401, response.StatusCode);
        var offers = response.Headers.WWWAuthenticate.ToArray();
        Assert.Equal("Basic realm=\"handle\"", offers[0]);
        var (sessionId, nonce) = ParseChallenge(offers[1]!);
        Assert.True(nonce.Length >= 16);

        var (otherSession, otherNonce) = await ChallengeAsync();
        Assert.NotEqual(sessionId, otherSession);
        Assert.NotEqual(nonce, otherNonce);
    }

    [Fact]
    public async Task A_script_or_a_client_answering_with_handle_is_not_offered_basic()
    {
        var context = _node.Request(authorization: null);
        context.Request.Headers.XRequestedWith = "XMLHttpRequest";

        var offers = (await HandleAdminNode.ChallengeAsync(context, HandleSchemes.Challenge)).Headers.WWWAuthenticate.ToArray();

        Assert.Single(offers);
        Assert.StartsWith("Handle sessionId=\"", offers[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_rsa_signature_of_nonce_and_cnonce_authenticates_and_the_session_carries_the_identity()
    {
        var (sessionId, nonce) = await ChallengeAsync();
        var cnonce = RandomNumberGenerator.GetBytes(16);
        var signature = _node.Key.SignData([.. nonce, .. cnonce], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var result = await _node.AuthenticateAsync(HandleSchemes.Challenge, Answer(sessionId, "300:0.NA/88.709.911", "HS_PUBKEY", "SHA256", cnonce, signature));

        Assert.True(result.Succeeded, result.Failure?.Message);
        AssertAdmin(result.Principal!, 300);

        var later = await _node.AuthenticateAsync(HandleSchemes.Challenge, $"Handle sessionId=\"{sessionId}\"");
        Assert.True(later.Succeeded, later.Failure?.Message);
        AssertAdmin(later.Principal!, 300);
    }

    [Fact]
    public async Task An_hmac_sha256_keyed_by_the_secret_authenticates()
    {
        var (sessionId, nonce) = await ChallengeAsync();
        var cnonce = RandomNumberGenerator.GetBytes(16);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(HandleAdminNode.Secret), (byte[])[.. nonce, .. cnonce]);

        var result = await _node.AuthenticateAsync(HandleSchemes.Challenge, Answer(sessionId, "301:0.NA/88.709.911", "HS_SECKEY", "HMAC-SHA256", cnonce, mac));

        Assert.True(result.Succeeded, result.Failure?.Message);
        AssertAdmin(result.Principal!, 301);
    }

    [Fact]
    public async Task Index_zero_finds_the_key_value_that_verifies()
    {
        var (sessionId, nonce) = await ChallengeAsync();
        var cnonce = RandomNumberGenerator.GetBytes(16);
        var signature = _node.Key.SignData([.. nonce, .. cnonce], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var result = await _node.AuthenticateAsync(HandleSchemes.Challenge, Answer(sessionId, "0.NA/88.709.911", "HS_PUBKEY", "SHA256", cnonce, signature));

        Assert.True(result.Succeeded, result.Failure?.Message);
        AssertAdmin(result.Principal!, 300);
    }

    [Fact]
    public async Task A_nonce_is_answered_once_a_replay_or_a_second_answer_is_refused()
    {
        var (sessionId, nonce) = await ChallengeAsync();
        var cnonce = RandomNumberGenerator.GetBytes(16);
        var answer = Answer(sessionId, "300:0.NA/88.709.911", "HS_PUBKEY", "SHA256", cnonce,
            _node.Key.SignData([.. nonce, .. cnonce], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.True((await _node.AuthenticateAsync(HandleSchemes.Challenge, answer)).Succeeded);

        var replay = await _node.AuthenticateAsync(HandleSchemes.Challenge, answer);
        Assert.False(replay.Succeeded);
        Assert.Contains("already answered", replay.Failure!.Message, StringComparison.Ordinal);

        var otherCnonce = RandomNumberGenerator.GetBytes(16);
        var second = await _node.AuthenticateAsync(HandleSchemes.Challenge, Answer(sessionId, "300:0.NA/88.709.911", "HS_PUBKEY", "SHA256", otherCnonce,
            _node.Key.SignData([.. nonce, .. otherCnonce], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
        Assert.False(second.Succeeded);
    }

    [Fact]
    public async Task A_tampered_signature_fails_and_spends_the_nonce()
    {
        var (sessionId, nonce) = await ChallengeAsync();
        var cnonce = RandomNumberGenerator.GetBytes(16);
        var signature = _node.Key.SignData([.. nonce, .. cnonce], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var tampered = (byte[])signature.Clone();
        tampered[^1] ^= 0x01;

        var refused = await _node.AuthenticateAsync(HandleSchemes.Challenge, Answer(sessionId, "300:0.NA/88.709.911", "HS_PUBKEY", "SHA256", cnonce, tampered));
        Assert.False(refused.Succeeded);
        Assert.Equal("identity not verified", refused.Failure!.Message);

        var afterwards = await _node.AuthenticateAsync(HandleSchemes.Challenge, Answer(sessionId, "300:0.NA/88.709.911", "HS_PUBKEY", "SHA256", cnonce, signature));
        Assert.False(afterwards.Succeeded);

        var unauthenticated = await _node.AuthenticateAsync(HandleSchemes.Challenge, $"Handle sessionId=\"{sessionId}\"");
        Assert.True(unauthenticated.None);
    }

    [Fact]
    public async Task A_wrong_cnonce_another_key_or_the_wrong_secret_fails()
    {
        using var other = RSA.Create(2048);
        var answers = new Func<string, byte[], byte[], string>[]
        {
            (session, nonce, cnonce) => Answer(session, "300:0.NA/88.709.911", "HS_PUBKEY", "SHA256", [.. cnonce, 0],
                _node.Key.SignData([.. nonce, .. cnonce], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)),
            (session, nonce, cnonce) => Answer(session, "300:0.NA/88.709.911", "HS_PUBKEY", "SHA256", cnonce,
                other.SignData([.. nonce, .. cnonce], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)),
            (session, nonce, cnonce) => Answer(session, "301:0.NA/88.709.911", "HS_SECKEY", "HMAC-SHA256", cnonce,
                HMACSHA256.HashData("wrong"u8, (byte[])[.. nonce, .. cnonce])),
            (session, nonce, cnonce) => Answer(session, "300:0.NA/88.709.911", "HS_SECKEY", "HMAC-SHA256", cnonce,
                HMACSHA256.HashData(Encoding.UTF8.GetBytes(HandleAdminNode.Secret), (byte[])[.. nonce, .. cnonce])),
        };

        foreach (var answer in answers)
        {
            var (sessionId, nonce) = await ChallengeAsync();
            var result = await _node.AuthenticateAsync(HandleSchemes.Challenge, answer(sessionId, nonce, RandomNumberGenerator.GetBytes(16)));
            Assert.False(result.Succeeded);
            Assert.Equal("identity not verified", result.Failure!.Message);
        }
    }

    [Fact]
    public async Task An_unanswered_challenge_expires_after_its_lifetime()
    {
        var (sessionId, nonce) = await ChallengeAsync();
        var cnonce = RandomNumberGenerator.GetBytes(16);
        var answer = Answer(sessionId, "300:0.NA/88.709.911", "HS_PUBKEY", "SHA256", cnonce,
            _node.Key.SignData([.. nonce, .. cnonce], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        _node.Time.Advance(TimeSpan.FromMinutes(5));

        var result = await _node.AuthenticateAsync(HandleSchemes.Challenge, answer);
        Assert.False(result.Succeeded);
        Assert.Equal("unknown or expired session", result.Failure!.Message);
    }

    [Fact]
    public async Task An_authenticated_session_lasts_one_lifetime_from_the_answer()
    {
        var (sessionId, nonce) = await ChallengeAsync();
        _node.Time.Advance(TimeSpan.FromMinutes(4));
        var cnonce = RandomNumberGenerator.GetBytes(16);
        Assert.True((await _node.AuthenticateAsync(HandleSchemes.Challenge, Answer(sessionId, "300:0.NA/88.709.911", "HS_PUBKEY", "SHA256", cnonce,
            _node.Key.SignData([.. nonce, .. cnonce], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)))).Succeeded);

        _node.Time.Advance(TimeSpan.FromSeconds(299));
        Assert.True((await _node.AuthenticateAsync(HandleSchemes.Challenge, $"Handle sessionId=\"{sessionId}\"")).Succeeded);

        _node.Time.Advance(TimeSpan.FromSeconds(1));
        var expired = await _node.AuthenticateAsync(HandleSchemes.Challenge, $"Handle sessionId=\"{sessionId}\"");
        Assert.False(expired.Succeeded);
        Assert.Equal("unknown or expired session", expired.Failure!.Message);
    }

    [Theory]
    [InlineData("Handle")]
    [InlineData("Handle   ")]
    [InlineData("Handle sessionId")]
    [InlineData("Handle sessionId=")]
    [InlineData("Handle sessionId=\"abc")]
    [InlineData("Handle sessionId=\"a\" id=\"b\"")]
    [InlineData("Handle sessionId=\"a\", sessionid=\"b\"")]
    [InlineData("Handle =\"a\"")]
    [InlineData("Handle sessionId=a/b")]
    [InlineData("Handle sessionId=\"a\u0001\"")]
    [InlineData("Handle sessionId=\"a\\\u00e9\"")]
    [InlineData("Handle id=\"300%3\", type=\"HS_PUBKEY\"")]
    [InlineData("Handle id=\"300%3A0.NA%2F88.709.911\", type=\"HS_PUBKEY\", alg=\"SHA256\"")]
    [InlineData("Handle version=\"1\", sessionId=\"a\"")]
    [InlineData("Handle sessionId=\"a\", id=\"300%3A0.NA%2F88.709.911\", type=\"HS_PUBKEY\", alg=\"SHA256\", cnonce=\"not base64\", signature=\"AAAA\"")]
    [InlineData("Handle sessionId=\"a\", id=\"300%3A0.NA%2F88.709.911\", type=\"HS_PUBKEY\", alg=\"SHA256\", cnonce=\"\", signature=\"AAAA\"")]
    [InlineData("Handle sessionId=\"a\", id=\"x:\", type=\"HS_PUBKEY\", alg=\"SHA256\", cnonce=\"AAAA\", signature=\"AAAA\"")]
    [InlineData("Handle sessionId=\"no-such-session\", id=\"300%3A0.NA%2F88.709.911\", type=\"HS_PUBKEY\", alg=\"SHA256\", cnonce=\"AAAA\", signature=\"AAAA\"")]
    [InlineData("Handle sessionId=\"no-such-session\"")]
    public async Task A_malformed_incomplete_or_unknown_answer_fails_cleanly(string header)
    {
        var context = _node.Request(header);

        var result = await HandleAdminNode.AuthenticateAsync(context, HandleSchemes.Challenge);
        Assert.False(result.Succeeded);
        Assert.NotNull(result.Failure);

        // The challenge that follows says why, as Handle.Net does, in a well-formed quoted string.
        var offer = (await HandleAdminNode.ChallengeAsync(context, HandleSchemes.Challenge)).Headers.WWWAuthenticate.ToString();
        Assert.Contains(", error=\"", offer, StringComparison.Ordinal);
        Assert.True(HandleAuthorizationHeader.TryParse(offer, out _, out var problem), problem);
    }

    [Fact]
    public async Task Sha1_signatures_are_refused_and_the_client_is_told_why()
    {
        var (sessionId, nonce) = await ChallengeAsync();
        var cnonce = RandomNumberGenerator.GetBytes(16);
        var context = _node.Request(Answer(sessionId, "300:0.NA/88.709.911", "HS_PUBKEY", "SHA1", cnonce,
            _node.Key.SignData([.. nonce, .. cnonce], HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1)));

        var result = await HandleAdminNode.AuthenticateAsync(context, HandleSchemes.Challenge);
        Assert.False(result.Succeeded);

        var offer = (await HandleAdminNode.ChallengeAsync(context, HandleSchemes.Challenge)).Headers.WWWAuthenticate.ToString();
        Assert.Contains("SHA-1 signatures are refused", offer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer abc")]
    [InlineData("Basic YTpi")]
    [InlineData("Handle cnonce=\"AAAA\"")]
    public async Task Requests_without_a_handle_answer_are_not_its_business(string? header) =>
        Assert.True((await _node.AuthenticateAsync(HandleSchemes.Challenge, header)).None);

    [Fact]
    public async Task With_plain_http_credentials_disallowed_answers_are_ignored_and_no_nonce_is_issued()
    {
        await using var strict = new NodeFactory().With("Security:AllowCredentialsOverPlainHttp", "false");

        var ignored = await HandleAdminNode.AuthenticateAsync(HandleAdminNode.Request(strict, "Handle sessionId=\"abc\"", https: false), HandleSchemes.Challenge);
        Assert.True(ignored.None);

        var response = await HandleAdminNode.ChallengeAsync(HandleAdminNode.Request(strict, null, https: false), HandleSchemes.Challenge);
        Assert.Equal(403, response.StatusCode);
        Assert.Equal(0, response.Headers.WWWAuthenticate.Count);

        var overTls = await HandleAdminNode.ChallengeAsync(HandleAdminNode.Request(strict, null), HandleSchemes.Challenge);
        Assert.Equal(401, overTls.StatusCode);
    }

    private async Task<(string SessionId, byte[] Nonce)> ChallengeAsync()
    {
        var response = await HandleAdminNode.ChallengeAsync(_node.Request(authorization: null), HandleSchemes.Challenge);
        Assert.Equal(StatusCodes.Status401Unauthorized, response.StatusCode);
        return ParseChallenge(response.Headers.WWWAuthenticate.ToArray().Single(h => h!.StartsWith("Handle ", StringComparison.Ordinal))!);
    }

    /// <summary>Reads a WWW-Authenticate: Handle challenge with the node's own (strict) parser: it has the same grammar.</summary>
    private static (string SessionId, byte[] Nonce) ParseChallenge(string challenge)
    {
        Assert.True(HandleAuthorizationHeader.TryParse(challenge, out var parsed, out var problem), problem);
        var nonce = challenge[(challenge.IndexOf("nonce=\"", StringComparison.Ordinal) + 7)..];
        return (parsed.SessionId!, Convert.FromBase64String(nonce[..nonce.IndexOf('"', StringComparison.Ordinal)]));
    }

    private static string Answer(string sessionId, string id, string type, string alg, byte[] cnonce, byte[] signature) =>
        $"Handle version=\"0\", sessionId=\"{sessionId}\", id=\"{Uri.EscapeDataString(id)}\", type=\"{type}\", alg=\"{alg}\", " +
        $"cnonce=\"{Convert.ToBase64String(cnonce)}\", signature=\"{Convert.ToBase64String(signature)}\"";

    private static void AssertAdmin(ClaimsPrincipal user, int index)
    {
        Assert.Equal($"{index}:0.NA/88.709.911", user.Identity!.Name);
        Assert.Equal(HandleSchemes.Challenge, user.Identity.AuthenticationType);
        Assert.Equal(NodeClaims.KindAdmin, user.FindFirstValue(NodeClaims.Kind));
        Assert.Equal("0.NA/88.709.911", user.FindFirstValue(NodeClaims.Handle));
        Assert.Equal(index.ToString(System.Globalization.CultureInfo.InvariantCulture), user.FindFirstValue(NodeClaims.Index));
    }
}
