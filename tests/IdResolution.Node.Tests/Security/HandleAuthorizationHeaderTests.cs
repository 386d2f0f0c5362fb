using IdResolution.Node.Security;

namespace IdResolution.Node.Tests.Security;

public sealed class HandleAuthorizationHeaderTests
{
    [Fact]
    public void The_handle_net_answer_parses_with_the_id_percent_decoded()
    {
        const string header = "Handle version=\"0\", sessionId=\"abc123\", id=\"300%3A0.NA%2F88.709.911\", type=\"HS_PUBKEY\", " +
            "alg=\"SHA256\", cnonce=\"q83v\", signature=\"ASNF+/8=\"";

        Assert.True(HandleAuthorizationHeader.TryParse(header, out var parsed, out var problem), problem);
        Assert.Equal("0", parsed.Version);
        Assert.Equal("abc123", parsed.SessionId);
        Assert.Equal("300:0.NA/88.709.911", parsed.Id);
        Assert.Equal("HS_PUBKEY", parsed.Type);
        Assert.Equal("SHA256", parsed.Alg);
        Assert.Equal("q83v", parsed.Cnonce);
        Assert.Equal("ASNF+/8=", parsed.Signature);
        Assert.True(parsed.IsAuthenticating);
    }

    [Fact]
    public void Names_ignore_case_tokens_need_no_quotes_escapes_are_undone_and_unknown_names_are_ignored()
    {
        Assert.True(HandleAuthorizationHeader.TryParse("handle  SESSIONID = abc ,, TYPE=\"HS_\\\"SECKEY\", clientCert=true,", out var parsed, out var problem), problem);
        Assert.Equal("abc", parsed.SessionId);
        Assert.Equal("HS_\"SECKEY", parsed.Type);
        Assert.Null(parsed.Id);
        Assert.True(parsed.IsAuthenticating);
    }

    [Fact]
    public void A_plus_in_the_id_stays_a_plus()
    {
        Assert.True(HandleAuthorizationHeader.TryParse("Handle id=\"300%3A0.NA%2F1+2\"", out var parsed, out _));
        Assert.Equal("300:0.NA/1+2", parsed.Id);
    }

    [Theory]
    [InlineData(null, "does not start with Handle")]
    [InlineData("Basic abc", "does not start with Handle")]
    [InlineData("Handle", "followed by parameters")]
    [InlineData("Handle ,", "parameter name was expected")]
    [InlineData("Handle,", "followed by parameters")]
    [InlineData("Handle a=\"1\" b=\"2\"", "comma was expected")]
    [InlineData("Handle a=\"1\", A=\"2\"", "more than once")]
    [InlineData("Handle a", "no '='")]
    [InlineData("Handle a=", "not a token or a well-formed quoted string")]
    [InlineData("Handle a=\"x", "not a token or a well-formed quoted string")]
    [InlineData("Handle a=\"x\\", "not a token or a well-formed quoted string")]
    [InlineData("Handle id=\"%E9\"", "not percent-encoded UTF-8")]
    [InlineData("Handle id=\"%zz\"", "not percent-encoded UTF-8")]
    public void Anything_outside_the_grammar_is_malformed(string? header, string problem)
    {
        Assert.False(HandleAuthorizationHeader.TryParse(header, out _, out var reason));
        Assert.Contains(problem, reason, StringComparison.Ordinal);
    }
}
