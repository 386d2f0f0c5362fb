using IdResolution.Core;
using IdResolution.Core.Records;
using IdResolution.Node.HandleApi;
using Microsoft.Net.Http.Headers;

namespace IdResolution.Node.Proxy;

/// <summary>The proxy's answers for clients that ask for JSON: Handle.Net's resolution JSON, values in its codec.</summary>
internal static class ProxyJson
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>True when the Accept header names application/json (browsers never do, so they get HTML).</summary>
    public static bool Wanted(HttpRequest request)
    {
        foreach (var accepted in request.GetTypedHeaders().Accept)
        {
            if (accepted.MediaType.Equals(Json.MediaType, StringComparison.OrdinalIgnoreCase) && accepted.Quality is null or > 0)
            {
                return true;
            }
        }

        return false;
    }

    public static Task ValuesAsync(HttpContext context, string handle, IReadOnlyList<HandleValue> values)
    {
        NoCache(context);
        return HandleRestResponse.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteNumber("responseCode", (int)HandleResponseCode.Success);
            writer.WriteString("handle", handle);
            writer.WritePropertyName("values");
            HandleJson.WriteValues(writer, values);
        });
    }

    public static Task ErrorAsync(HttpContext context, int status, HandleResponseCode code, string handle, string message)
    {
        NoCache(context);
        return HandleRestResponse.WriteAsync(context, status, writer =>
        {
            writer.WriteNumber("responseCode", (int)code);
            writer.WriteString("handle", handle);
            writer.WriteString("message", message);
        });
    }

    private static void NoCache(HttpContext context) => context.Response.Headers.CacheControl = "no-cache";
}
