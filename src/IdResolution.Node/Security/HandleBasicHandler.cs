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
/// <c>Authorization: Basic base64(urlencode("300:0.NA/88.709.911") + ":" + secret)</c>, as Handle.Net
/// takes it: the user name is the URL-encoded admin identity, the password the secret key held in
/// the identity's HS_SECKEY value. Other Authorization schemes are not this handler's business.
/// </summary>
internal sealed class HandleBasicHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private readonly HandleCredentials _credentials;
    private readonly HandleSecurityOptions _security;

    public HandleBasicHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
        HandleCredentials credentials, IOptions<HandleSecurityOptions> security)
        : base(options, logger, encoder)
    {
        ArgumentNullException.ThrowIfNull(security);
        _credentials = credentials;
        _security = security.Value;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (HandleSchemes.Preflight(Request, "Basic", _security, Logger, Scheme.Name, out var header) is { } early)
        {
            return early;
        }

        if (!TryParse(header, out var identity, out var secret, out var problem))
        {
            return AuthenticateResult.Fail(problem);
        }

        Outcome<ValueReference> outcome;
        try
        {
            outcome = await _credentials.VerifySecretKeyAsync(identity, secret, Context.RequestAborted);
        }
        catch (StoreUnavailableException unavailable)
        {
            // Credentials that cannot be checked now are neither accepted nor called wrong.
            return AuthenticateResult.Fail(unavailable);
        }
        if (!outcome.IsSuccess)
        {
            SecurityLog.CredentialsRefused(Logger, Scheme.Name, AdminIdentity.Format(identity), (int)outcome.Code, outcome.Message);
            return AuthenticateResult.Fail("identity not verified");
        }

        return AuthenticateResult.Success(HandlePrincipal.Admin(outcome.Value, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!_security.AllowsCredentials(Request))
        {
            // As Handle.Net: no authentication is offered on an insecure channel.
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, HandleChallengeHandler.BasicChallenge);
        return Task.CompletedTask;
    }

    private static bool TryParse(string header, out ValueReference identity, out byte[] secret, out string problem)
    {
        identity = default;
        secret = [];
        var credentials = header.AsSpan().Trim(" \t")["Basic".Length..].Trim(" \t");
        var decoded = new byte[credentials.Length];
        if (credentials.IsEmpty || !Convert.TryFromBase64Chars(credentials, decoded, out var length))
        {
            problem = "the Basic credentials are not base64";
            return false;
        }

        var bytes = decoded.AsSpan(0, length);
        var colon = bytes.IndexOf((byte)':');
        if (colon < 0)
        {
            problem = "the Basic credentials have no ':' between user name and secret";
            return false;
        }

        string user;
        try
        {
            user = Uri.UnescapeDataString(StrictUtf8.GetString(bytes[..colon]));
        }
        catch (DecoderFallbackException)
        {
            problem = "the Basic user name is not UTF-8";
            return false;
        }

        if (!AdminIdentity.TryParse(user, out identity))
        {
            problem = "the Basic user name is not an admin identity index:handle";
            return false;
        }

        secret = bytes[(colon + 1)..].ToArray();
        problem = string.Empty;
        return true;
    }
}
