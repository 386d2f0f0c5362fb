using IdResolution.Core;
using IdResolution.Node.Api;

namespace IdResolution.Node.Hosting;

/// <summary>
/// Refuses a body whose declared length is over the limit before anything reads it (413 with Handle
/// code 4). Kestrel enforces the same limit on bodies without a length; this also holds under hosts
/// that do not (the in-process test server), so behaviour is the same everywhere.
/// </summary>
internal static class RequestSizeLimit
{
    public static void UseRequestSizeLimit(this WebApplication app, long maxBytes)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > maxBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                context.Response.ContentType = "application/json";
                var status = HandleStatus.ToRpcStatus(HandleResponseCode.ProtocolError,
                    $"the request body is {context.Request.ContentLength} bytes; at most {maxBytes} are accepted", status: Grpc.Core.StatusCode.ResourceExhausted);
                await context.Response.WriteAsync(HandleStatus.Json.Format(status), context.RequestAborted);
                return;
            }

            await next(context);
        });
    }
}
