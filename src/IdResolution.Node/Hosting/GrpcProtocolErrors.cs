using System.Text;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using IdResolution.Core;
using IdResolution.Node.ErrorReplies;
using Microsoft.AspNetCore.Http.Features;

namespace IdResolution.Node.Hosting;

/// <summary>
/// gRPC calls the framework refuses before any node code runs (a frame cut short, a compressed frame
/// without grpc-encoding, bytes that are not the request message, a wrong content type) are answered
/// by the framework as INTERNAL or UNKNOWN, which tell a client the server failed. They are the
/// client's mistake: this answers them as INVALID_ARGUMENT with Handle code 4 (PROTOCOL_ERROR).
/// Every status the node itself gives carries an ErrorInfo detail, so a trailers-only INTERNAL or
/// UNKNOWN without details can only have come from the framework's reading of the request.
/// </summary>
internal static class GrpcProtocolErrors
{
    private const string StatusHeader = "grpc-status";
    private const string MessageHeader = "grpc-message";
    private const string DetailsHeader = "grpc-status-details-bin";

    private static readonly Func<object, Task> Rewrite = state =>
    {
        RewriteFrameworkStatus(((HttpContext)state).Response.Headers);
        return Task.CompletedTask;
    };

    public static void UseGrpcProtocolErrors(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            if (!IsGrpcCall(context))
            {
                await next(context);
                return;
            }

            // A refusal before the answer started travels in the headers (trailers-only) ...
            context.Response.OnStarting(Rewrite, context);
            await next(context);

            // ... one during a stream, in the trailers, written when the response completes.
            if (context.Response.HasStarted && context.Features.Get<IHttpResponseTrailersFeature>() is { } trailers)
            {
                RewriteFrameworkStatus(trailers.Trailers);
            }
        });

    /// <summary>A gRPC request, or any request that reached a gRPC endpoint (which answers a wrong content type with 415 and INTERNAL).</summary>
    private static bool IsGrpcCall(HttpContext context) =>
        context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true
        || context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null;

    private static void RewriteFrameworkStatus(IHeaderDictionary headers)
    {
        var code = headers[StatusHeader].ToString();
        if (code is not ("2" or "13") || headers.ContainsKey(DetailsHeader) || headers.IsReadOnly)
        {
            return;
        }

        // UNKNOWN: the framework's "Exception was thrown by handler." for bytes that do not decode as the request.
        var reason = code == "2" ? "the message does not decode as this method's request" : Uri.UnescapeDataString(headers[MessageHeader].ToString());
        var message = "the request is not a well-formed gRPC call: " + reason;
        var status = HandleStatus.ToRpcStatus(HandleResponseCode.ProtocolError, message, status: Grpc.Core.StatusCode.InvalidArgument);
        headers[StatusHeader] = ((int)Grpc.Core.StatusCode.InvalidArgument).ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers[MessageHeader] = PercentEncode(message);
        headers[DetailsHeader] = Convert.ToBase64String(status.ToByteArray());
    }

    /// <summary>grpc-message is percent-encoded UTF-8: printable ASCII other than '%' stays as it is.</summary>
    internal static string PercentEncode(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        var encoded = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}
