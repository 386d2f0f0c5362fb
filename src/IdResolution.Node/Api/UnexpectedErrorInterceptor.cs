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
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the request was cancelled"));
        }
        catch (DiskFullException full)
        {
            // Its message is written for the client: what was (not) acknowledged and what to do.
            ApiLog.DiskFull(logger, context.Method, full);
            throw HandleStatus.ToException(HandleResponseCode.Error, full.Message, status: StatusCode.Unavailable);
        }
        catch (Exception exception) when (exception is StoreUnavailableException or IOException)
        {
            ApiLog.StoreUnavailable(logger, context.Method, exception);
            throw HandleStatus.ToException(HandleResponseCode.Error, "the store could not complete the request; retry later", status: StatusCode.Unavailable);
        }
        catch (Exception exception)
        {
            ApiLog.UnhandledRequestError(logger, context.Method, exception);
            throw HandleStatus.ToException(HandleResponseCode.Error, "the node failed to complete the request; the failure has been logged");
        }
    }
}
