using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using IdResolution.Core;
using IdResolution.Node.Security;
using Microsoft.AspNetCore.Authentication;

namespace IdResolution.Node.HandleApi;

/// <summary>Writes the REST API's JSON answers: successes, and errors as <c>{"responseCode":N,"handle":"..."}</c>.</summary>
internal static class HandleRestResponse
{
    private const string ContentType = "application/json; charset=utf-8";

    // As Handle.Net's JSON: non-ASCII text is written as it is, not as \u escapes.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    /// <summary>
    /// A success answer written while <paramref name="body"/> produces it: the body calls the flush it is
    /// given (after each store page, say) to send what it has written so far, so an answer of any length
    /// is never held in memory whole. The status is sent with the first flush and cannot change after it.
    /// </summary>
    public static async Task StreamAsync(HttpContext context, Func<Utf8JsonWriter, Func<Task>, Task> body)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        var pipe = response.BodyWriter;
        using var writer = new Utf8JsonWriter(pipe, Options);

        async Task Flush()
        {
            writer.Flush();
            await pipe.FlushAsync(context.RequestAborted);
        }

        writer.WriteStartObject();
        await body(writer, Flush);
        writer.WriteEndObject();
        await Flush();
    }

    /// <summary>
    /// An error answer. A request that needs authentication over TLS gets 401 with the Handle
    /// scheme's challenge (<c>WWW-Authenticate: Handle sessionId, nonce</c>); over plain HTTP, 403.
    /// </summary>
    public static async Task ErrorAsync(HttpContext context, HandleResponseCode code, string? message, string? handle, bool resolution = false)
    {
        var status = HandleRestStatus.ToHttpStatus(code, created: false, resolution, context.Request.IsHttps);
        if (status == StatusCodes.Status401Unauthorized)
        {
            // The handler sets the status itself: 401 with its challenge, or 503 when it has no room for another session.
            await context.ChallengeAsync(HandleSchemes.Challenge);
            status = context.Response.StatusCode;
        }

        await WriteAsync(context, status, writer =>
        {
            writer.WriteNumber("responseCode", (int)code);
            if (!string.IsNullOrEmpty(handle))
            {
                writer.WriteString("handle", handle);
            }

            if (!string.IsNullOrEmpty(message) && code != HandleResponseCode.HandleNotFound)
            {
                writer.WriteString("message", message);
            }
        });
    }
}
