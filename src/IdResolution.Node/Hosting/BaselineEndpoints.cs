using System.Text;
using IdResolution.Node.Budgets;

namespace IdResolution.Node.Hosting;

/// <summary>
/// No-op HTTP answers on the node's own Kestrel, behind the same authentication, rate limits and body bound as
/// resolution: the ceiling a resolve or a redirect can reach on this server, measured beside them by the load harness.
/// </summary>
internal static class BaselineEndpoints
{
    /// <summary>A resolve answer's shape and size (199 bytes, as a one-URL handle's JSON), so the baseline writes what a resolve writes.</summary>
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        """{"handle":"0.NA/PING","values":[{"index":1,"type":"URL","data":{"format":"string","value":"https://example.org/ping/baseline/reply"},"ttl":86400,"timestamp":"2025-01-01T00:00:00Z"}],"responseCode":1}""");

    public static void MapBaselines(this WebApplication app)
    {
        app.MapGet("/v1/ping", static context =>
            {
                context.Response.ContentType = "application/json; charset=utf-8";
                context.Response.ContentLength = Body.Length;
                return context.Response.Body.WriteAsync(Body, context.RequestAborted).AsTask();
            })
            .Spends(RequestBudget.Resolution)
            .ExcludeFromDescription();

        app.MapGet("/v1/ping/redirect", static context =>
            {
                context.Response.StatusCode = StatusCodes.Status302Found;
                context.Response.Headers.Location = "https://example.org/ping";
                return Task.CompletedTask;
            })
            .Spends(RequestBudget.Resolution)
            .ExcludeFromDescription();
    }
}
