using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace IdResolution.Node.Security;

/// <summary>
/// The node's default scheme: hands each request to the one scheme its credentials name (Handle
/// Basic, Handle challenge, a child node's assertion, a child node's certificate, else Bearer) and keeps that scheme's answer on the
/// request as an <see cref="AuthenticationOutcome"/>. The step that refuses failed credentials runs
/// after the rate limiter and reads it there, so a request is authenticated once, by the authentication middleware.
/// </summary>
internal sealed class ForwardingSchemeHandler : IAuthenticationHandler
{
    private HttpContext? _context;

    private HttpContext Context => _context ?? throw new InvalidOperationException("the handler was not initialised");

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        _context = context;
        return Task.CompletedTask;
    }

    public async Task<AuthenticateResult> AuthenticateAsync()
    {
        var result = await Context.AuthenticateAsync(SelectScheme(Context));
        Context.Features.Set(new AuthenticationOutcome(result));
        return result;
    }

    public Task ChallengeAsync(AuthenticationProperties? properties) => Context.ChallengeAsync(SelectScheme(Context), properties);

    public Task ForbidAsync(AuthenticationProperties? properties) => Context.ForbidAsync(SelectScheme(Context), properties);

    private static string SelectScheme(HttpContext context) => HandleSchemes.SelectScheme(context) ?? JwtBearerDefaults.AuthenticationScheme;
}
