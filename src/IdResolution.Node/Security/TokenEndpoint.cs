using System.Text.Json;
using System.Text.Json.Serialization;
using IdResolution.Core.Composition;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using IdResolution.Node.Budgets;

namespace IdResolution.Node.Security;

/// <summary>
/// <c>POST /identity/token</c> with <c>{"username","password"}</c>: the ecosystem's secondary-node API
/// for exchanging account credentials for a bearer token, answered in its envelope
/// <c>{"status":1,"message":"success","data":{"token":...}}</c> (status -1 when the credentials fail,
/// with HTTP 503 when the node cannot check or record them).
/// </summary>
internal static class TokenEndpoint
{
    /// <summary>Sign-in spends the write budget, so guessing passwords is as slow as writing.</summary>
    public static void MapTokenEndpoint(this WebApplication app) => app.MapPost("/identity/token", IssueAsync).Spends(RequestBudget.Writes);

    private static async Task<IResult> IssueAsync(HttpContext context, CoreServices core, TokenService tokens, TimeProvider time)
    {
        TokenRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, TokenJson.Default.TokenRequest, context.RequestAborted);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null || string.IsNullOrEmpty(request.Username) || string.IsNullOrEmpty(request.Password))
        {
            return Results.Json(new TokenReply(-2, "send {\"username\":...,\"password\":...} as JSON", null), TokenJson.Default.TokenReply, statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            var verified = await core.Accounts.VerifyPasswordAsync(request.Username, request.Password, context.RequestAborted);
            if (!verified.IsSuccess)
            {
                // The attempted name is recorded, never the password.
                await core.Audit.AppendAsync([new AuditEntry(time.GetUtcNow(), request.Username, context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    "authenticate", "/identity/token", string.Empty, (int)verified.Code, verified.Message)], context.RequestAborted);
                return Results.Json(new TokenReply(-1, verified.Message, null), TokenJson.Default.TokenReply, statusCode: StatusCodes.Status401Unauthorized);
            }

            return Results.Json(new TokenReply(1, "success", new TokenData(tokens.Issue(verified.Value))), TokenJson.Default.TokenReply);
        }
        catch (StoreUnavailableException unavailable)
        {
            // The store cannot check the password, or the audit disk cannot record the failure: neither is the client's fault.
            var message = unavailable is DiskFullException ? unavailable.Message : "the node cannot check credentials right now; retry later";
            return Results.Json(new TokenReply(-1, message, null), TokenJson.Default.TokenReply, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    internal sealed record TokenRequest(string? Username, string? Password);

    internal sealed record TokenData(string Token);

    internal sealed record TokenReply(int Status, string Message, TokenData? Data);
}

[JsonSerializable(typeof(TokenEndpoint.TokenRequest))]
[JsonSerializable(typeof(TokenEndpoint.TokenReply))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 8)]
internal sealed partial class TokenJson : JsonSerializerContext;
