using System.Text.Json;
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

    public static async Task ValuesAsync(HttpContext context, string handle, IReadOnlyList<HandleValue> values)
    {
        var response = Start(context, StatusCodes.Status200OK);
        await using var writer = new Utf8JsonWriter(response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteNumber("responseCode", (int)HandleResponseCode.Success);
        writer.WriteString("handle", handle);
        writer.WritePropertyName("values");
        HandleJson.WriteValues(writer, values);
        writer.WriteEndObject();
    }

    public static async Task ErrorAsync(HttpContext context, int status, HandleResponseCode code, string handle, string message)
    {
        var response = Start(context, status);
        await using var writer = new Utf8JsonWriter(response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteNumber("responseCode", (int)code);
        writer.WriteString("handle", handle);
        writer.WriteString("message", message);
        writer.WriteEndObject();
    }

    private static HttpResponse Start(HttpContext context, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache";
        return response;
    }
}
