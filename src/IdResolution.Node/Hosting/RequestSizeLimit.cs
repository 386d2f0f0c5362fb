using IdResolution.Core;
using IdResolution.Node.ErrorReplies;

namespace IdResolution.Node.Hosting;

/// <summary>
/// Refuses HTTP bodies over the limit with 413 and Handle code 4, before any JSON is parsed. A
/// declared length is checked at once; a chunked body is read up to the limit first, because the
/// JSON transcoder would otherwise turn the server's own size error into a 400. gRPC bodies are
/// left to gRPC's message-size limit (RESOURCE_EXHAUSTED).
/// </summary>
internal static class RequestSizeLimit
{
    public static void UseRequestSizeLimit(this WebApplication app, long maxBytes)
    {
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (request.ContentLength > maxBytes)
            {
                await RefuseAsync(context, maxBytes);
                return;
            }

            if (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0 && !ErrorResponses.IsGrpc(request))
            {
                MemoryStream? buffered;
                try
                {
                    buffered = await ReadUpToAsync(request.Body, maxBytes, context.RequestAborted);
                }
                catch (Exception exception) when (exception is BadHttpRequestException or IOException)
                {
                    // Broken chunked framing (a bad or overflowing chunk size, a missing CRLF): the
                    // client's mistake, not an unhandled application error (500).
                    await RefuseMalformedAsync(context);
                    return;
                }

                if (buffered is null)
                {
                    await RefuseAsync(context, maxBytes);
                    return;
                }

                context.Response.RegisterForDispose(buffered);
                request.Body = buffered;
            }

            await next(context);
        });
    }

    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    private static async Task<MemoryStream?> ReadUpToAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    await buffer.DisposeAsync();
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await buffer.DisposeAsync();
            return null;
        }

        buffer.Position = 0;
        return buffer;
    }

    private static Task RefuseMalformedAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "application/json";
        var status = HandleStatus.ToRpcStatus(HandleResponseCode.ProtocolError,
            "the request body is not valid chunked transfer encoding", status: Grpc.Core.StatusCode.InvalidArgument);
        return context.Response.WriteAsync(HandleStatus.Json.Format(status), context.RequestAborted);
    }

    private static Task RefuseAsync(HttpContext context, long maxBytes)
    {
        var length = context.Request.ContentLength is { } declared ? $"{declared} bytes" : "longer than that";
        var status = HandleStatus.ToRpcStatus(HandleResponseCode.ProtocolError,
            $"the request body is {length}; at most {maxBytes} bytes are accepted", status: Grpc.Core.StatusCode.ResourceExhausted);
        return ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, status);
    }
}
