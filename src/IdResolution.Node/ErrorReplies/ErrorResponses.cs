using System.Globalization;
using Google.Protobuf;

namespace IdResolution.Node.ErrorReplies;

/// <summary>
/// Answers a request with an error before it reaches a service (size limits, bad credentials), in
/// the form its client understands: a trailers-only gRPC response for gRPC calls, otherwise the
/// JSON shape JSON transcoding uses for errors, with the given HTTP status.
/// </summary>
internal static class ErrorResponses
{
    public static Task WriteAsync(HttpContext context, int httpStatus, Google.Rpc.Status status)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(status);
        var response = context.Response;
        if (IsGrpc(context.Request))
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = Uri.EscapeDataString(status.Message);
            response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray()).TrimEnd('=');
            return Task.CompletedTask;
        }

        response.StatusCode = httpStatus;
        response.ContentType = "application/json";
        return response.WriteAsync(HandleStatus.Json.Format(status), context.RequestAborted);
    }

    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
}
