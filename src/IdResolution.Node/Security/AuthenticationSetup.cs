using IdResolution.Core;
using IdResolution.Core.Composition;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.Settings;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace IdResolution.Node.Security;

/// <summary>
/// Authentication of every surface: one default scheme that forwards by the credentials a request
/// carries. Requests without credentials stay anonymous (resolution is public); requests with
/// credentials that fail are refused outright rather than served anonymously.
/// </summary>
internal static class AuthenticationSetup
{
    public const string Scheme = "IdResolution";

    public static void AddNodeAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddSettings<TokenOptions>(builder.Configuration, TokenOptions.Section, SecuritySettingsValidation.Check);
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.Services.AddSingleton<TokenService>();

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = Scheme;
                options.AddScheme<ForwardingSchemeHandler>(Scheme, "Bearer token or Handle credentials");
            })
            .AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, _ => { });
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeyRing, CoreServices>((jwt, keys, core) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = TokenService.ValidationParameters(keys);
                jwt.Events = new JwtBearerEvents
                {
                    // A suspended or removed account's tokens stop working (within the account record's one-minute TTL).
                    OnTokenValidated = async context =>
                    {
                        var name = context.Principal?.Identity?.Name;
                        var account = name is null ? null : await core.Accounts.FindAsync(name, context.HttpContext.RequestAborted);
                        if (account is null || account.Suspended)
                        {
                            context.Fail("the account is suspended or no longer exists");
                        }
                    },
                };
            });
        builder.Services.AddAuthorization();
    }

    /// <summary>
    /// Authenticates each request once, by the credentials it carries. Requests whose credentials fail
    /// go on as anonymous, so the rate limiter (next) charges them to their address; <see cref="UseCredentialRefusal"/> then refuses them.
    /// </summary>
    public static void UseNodeAuthentication(this WebApplication app) => app.UseAuthentication();

    /// <summary>After the rate limiter: credentials that were sent but not accepted must not quietly fall back to anonymous access.</summary>
    public static void UseCredentialRefusal(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.User.Identity?.IsAuthenticated == true || context.Request.Headers.Authorization.Count == 0)
        {
            await next(context);
            return;
        }

        // What the authentication middleware found, kept by the node's scheme; not authenticated again here.
        var failure = context.Features.Get<AuthenticationOutcome>()?.Result.Failure
            ?? new InvalidOperationException("the Authorization header names no scheme this node accepts");
        var core = context.RequestServices.GetRequiredService<CoreServices>();
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        try
        {
            await core.Audit.AppendAsync([new AuditEntry(time.GetUtcNow(), "unauthenticated", context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                "authenticate", context.Request.Path, string.Empty, (int)HandleResponseCode.AuthenticationFailed, failure.Message)], context.RequestAborted);
        }
        catch (DiskFullException full)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                HandleStatus.ToRpcStatus(HandleResponseCode.Error, full.Message, status: Grpc.Core.StatusCode.Unavailable));
            return;
        }

        if (failure is StoreUnavailableException)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, HandleStatus.ToRpcStatus(HandleResponseCode.Error,
                "the node cannot check credentials right now; retry later", status: Grpc.Core.StatusCode.Unavailable));
            return;
        }

        // A node's operator needs the reason (a key rotated out, an assertion expired) to fix the call; a user's bad token gets none.
        var status = HandleStatus.ToRpcStatus(HandleResponseCode.AuthenticationFailed, failure is NodeCredentialsRefusedException
            ? "the node's credentials were refused: " + failure.Message
            : "the credentials were refused (expired, tampered with, or for a suspended account); get a new token from POST /identity/token");
        await ErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, status);
    });
}
