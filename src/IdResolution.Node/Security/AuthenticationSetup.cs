using IdResolution.Core;
using IdResolution.Core.Composition;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using IdResolution.Node.ErrorReplies;
using Microsoft.AspNetCore.Authentication;
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
        var tokens = new TokenOptions();
        builder.Configuration.GetSection(TokenOptions.Section).Bind(tokens);
        builder.Services.AddSingleton(tokens);
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.Services.AddSingleton<TokenService>();

        builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Bearer token or Handle credentials", policy => policy.ForwardDefaultSelector = SelectScheme)
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

    public static void UseNodeAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            // The authentication middleware only records successes; credentials that were sent but not
            // accepted must not quietly fall back to anonymous access. The handler caches its result per request.
            if (context.User.Identity?.IsAuthenticated != true && context.Request.Headers.Authorization.Count > 0
                && await context.AuthenticateAsync() is { Succeeded: false } result)
            {
                var failure = result.Failure ?? new InvalidOperationException("the Authorization header names no scheme this node accepts");
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

                var status = HandleStatus.ToRpcStatus(HandleResponseCode.AuthenticationFailed,
                    "the credentials were refused (expired, tampered with, or for a suspended account); get a new token from POST /identity/token");
                await ErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, status);
                return;
            }

            await next(context);
        });
    }

    /// <summary>Handle credentials (Basic, Handle, client certificate) go to their schemes; bearer tokens and nothing at all to JWT.</summary>
    private static string? SelectScheme(HttpContext context) => HandleSchemes.SelectScheme(context) ?? JwtBearerDefaults.AuthenticationScheme;
}
