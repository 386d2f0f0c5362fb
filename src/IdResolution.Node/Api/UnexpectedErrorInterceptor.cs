using Grpc.Core;
using Grpc.Core.Interceptors;
using IdResolution.Core;
using IdResolution.Core.Storage;
using IdResolution.Node.ErrorReplies;

namespace IdResolution.Node.Api;

/// <summary>
/// Turns failures that are not a Handle answer into a status with a response code and no internals:
/// store I/O trouble is ERROR (2) as UNAVAILABLE, so clients retry (a full disk with a message that
/// says so); anything else is logged and answered as ERROR without a stack trace or path.
/// </summary>
internal sealed class UnexpectedErrorInterceptor(ILogger<UnexpectedErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception exception) when (exception is not RpcException)
        {
            throw Translate(exception, logger, context.Method, context.CancellationToken).ToRpcException();
        }
    }

    /// <summary>The status a failure that is not a Handle answer gets, on gRPC and on the JSON surface alike.</summary>
    internal static Google.Rpc.Status Translate(Exception exception, ILogger logger, string method, CancellationToken requestAborted)
    {
        switch (exception)
        {
            case OperationCanceledException when requestAborted.IsCancellationRequested:
                return new Google.Rpc.Status { Code = (int)StatusCode.Cancelled, Message = "the request was cancelled" };
            case DiskFullException full:
                // Its message is written for the client: what was (not) acknowledged and what to do.
                ApiLog.DiskFull(logger, method, full);
                return HandleStatus.ToRpcStatus(HandleResponseCode.Error, full.Message, status: StatusCode.Unavailable);
            case StoreUnavailableException or IOException:
                ApiLog.StoreUnavailable(logger, method, exception);
                return HandleStatus.ToRpcStatus(HandleResponseCode.Error, "the store could not complete the request; retry later", status: StatusCode.Unavailable);
            default:
                ApiLog.UnhandledRequestError(logger, method, exception);
                return HandleStatus.ToRpcStatus(HandleResponseCode.Error, "the node failed to complete the request; the failure has been logged");
        }
    }
}
