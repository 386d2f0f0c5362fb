using System.Text;
using System.Text.Encodings.Web;
using IdResolution.Core;
using IdResolution.Core.Records;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IdResolution.Node.Security;

/// <summary>
/// Handle.Net's challenge-response over HTTP. A challenge answers 401 with
/// <c>WWW-Authenticate: Handle sessionId="…", nonce="base64"</c>; the client answers with
/// <c>Authorization: Handle sessionId="…", id="300%3A0.NA%2F88.709.911", type="HS_PUBKEY", alg="SHA256",
/// cnonce="base64", signature="base64"</c>, the signature covering nonce‖cnonce (RSA SHA-256 for
/// HS_PUBKEY, HMAC-SHA256 keyed by the secret for HS_SECKEY). The nonce is good for one answer;
/// a right answer lets the session go on with <c>Authorization: Handle sessionId="…"</c>.
/// </summary>
internal sealed class HandleChallengeHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    public const string BasicChallenge = "Basic realm=\"handle\"";
    private const string NotVerified = "identity not verified";
    private readonly HandleCredentials _credentials;
    private readonly HandleSessionStore _sessions;
    private readonly HandleSecurityOptions _security;

    public HandleChallengeHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
        HandleCredentials credentials, HandleSessionStore sessions, IOptions<HandleSecurityOptions> security)
        : base(options, logger, encoder)
    {
        ArgumentNullException.ThrowIfNull(security);
        _credentials = credentials;
        _sessions = sessions;
        _security = security.Value;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (HandleSchemes.Preflight(Request, "Handle", _security, Logger, Scheme.Name, out var header) is { } early)
        {
            return early;
        }

        if (!HandleAuthorizationHeader.TryParse(header, out var answer, out var problem))
        {
            return AuthenticateResult.Fail("malformed Authorization: Handle header: " + problem);
        }

        if (answer.Version is not null && answer.Version != "0")
        {
            return AuthenticateResult.Fail("unknown version in Authorization: Handle");
        }

        if (answer.IsAuthenticating)
        {
            return await AnswerAsync(answer);
        }

        if (answer.SessionId is null)
        {
            // E.g. a request for the server's own signature, which this node does not offer.
            return AuthenticateResult.NoResult();
        }

        var session = _sessions.Find(answer.SessionId);
        if (session is null)
        {
            return AuthenticateResult.Fail("unknown or expired session");
        }

        return session.Identity is { } identity
            ? AuthenticateResult.Success(HandlePrincipal.Admin(identity, Scheme.Name))
            : AuthenticateResult.NoResult();
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!_security.AllowsCredentials(Request))
        {
            // As Handle.Net: no authentication is offered on an insecure channel.
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        // Only the handler's own reasons go back to the client; an exception's text stays in the log.
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure is AuthenticationFailureException own ? own.Message : null;
        var session = _sessions.Create();
        if (session is null)
        {
            SecurityLog.SessionsFull(Logger);
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "1";
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (MayWantBasic())
        {
            Response.Headers.Append(HeaderNames.WWWAuthenticate, BasicChallenge);
        }

        var challenge = new StringBuilder("Handle sessionId=\"").Append(session.Id)
            .Append("\", nonce=\"").Append(Convert.ToBase64String(session.Nonce)).Append('"');
        if (!string.IsNullOrEmpty(failure))
        {
            challenge.Append(", error=").Append(Quote(failure));
        }

        Response.Headers.Append(HeaderNames.WWWAuthenticate, challenge.ToString());
    }

    private async Task<AuthenticateResult> AnswerAsync(HandleAuthorizationHeader answer)
    {
        if (answer.SessionId is null || answer.Id is null || answer.Type is null || answer.Alg is null || answer.Cnonce is null || answer.Signature is null)
        {
            return AuthenticateResult.Fail("missing fields in the authentication data: sessionId, id, type, alg, cnonce and signature are all needed");
        }

        if (!TryDecodeBase64(answer.Cnonce, out var cnonce) || !TryDecodeBase64(answer.Signature, out var signature))
        {
            return AuthenticateResult.Fail("cnonce and signature must be non-empty base64");
        }

        if (!AdminIdentity.TryParse(answer.Id, out var identity))
        {
            return AuthenticateResult.Fail("id is not an admin identity index:handle");
        }

        var session = _sessions.Find(answer.SessionId);
        if (session is null)
        {
            return AuthenticateResult.Fail("unknown or expired session");
        }

        // Spent before the check: a nonce gets one try, right or wrong.
        if (!session.TryUseNonce())
        {
            return AuthenticateResult.Fail("the nonce of this session was already answered; ask for a new challenge");
        }

        Outcome<ValueReference> outcome;
        try
        {
            outcome = await _credentials.VerifyChallengeAsync(identity, answer.Type, answer.Alg, session.Nonce, cnonce, signature, Context.RequestAborted);
        }
        catch (StoreUnavailableException unavailable)
        {
            // Credentials that cannot be checked now are neither accepted nor called wrong.
            return AuthenticateResult.Fail(unavailable);
        }
        if (!outcome.IsSuccess)
        {
            SecurityLog.CredentialsRefused(Logger, Scheme.Name, AdminIdentity.Format(identity), (int)outcome.Code, outcome.Message);

            // An unsupported algorithm or type is the client's to fix and tells nothing about keys.
            return AuthenticateResult.Fail(outcome.Code == HandleResponseCode.AuthenticationError ? outcome.Message : NotVerified);
        }

        _sessions.Authenticate(session, outcome.Value);
        return AuthenticateResult.Success(HandlePrincipal.Admin(outcome.Value, Scheme.Name));
    }

    /// <summary>As Handle.Net: offer Basic too, unless the client already chose another scheme or is a script (XMLHttpRequest).</summary>
    private bool MayWantBasic()
    {
        var header = Request.Headers.Authorization;
        if (header.Count > 0)
        {
            return HandleSchemes.HasScheme(header[0], "Basic");
        }

        return !string.Equals(Request.Headers.XRequestedWith, "XMLHttpRequest", StringComparison.Ordinal);
    }

    private static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        var buffer = new byte[text.Length];
        if (text.Length > 0 && Convert.TryFromBase64String(text, buffer, out var length) && length > 0)
        {
            bytes = buffer[..length];
            return true;
        }

        bytes = [];
        return false;
    }

    /// <summary>A quoted-string of visible ASCII: control and non-ASCII characters dropped, quote and backslash escaped.</summary>
    private static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\').Append(c);
            }
            else if (c >= ' ' && c < 0x7F)
            {
                quoted.Append(c);
            }
        }

        return quoted.Append('"').ToString();
    }
}
