using Google.Rpc;
using Grpc.Core;

namespace IdResolution.Node.Tests.Infrastructure;

/// <summary>Reads the Handle response code a failed call carries in its rich status.</summary>
public static class Errors
{
    public static int ResponseCode(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = exception.GetRpcStatus() ?? throw new InvalidOperationException("the error carries no rich status");
        var info = status.GetDetail<ErrorInfo>() ?? throw new InvalidOperationException("the error carries no ErrorInfo");
        Assert.Equal("idresolution.v1", info.Domain);
        return int.Parse(info.Metadata["responseCode"], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<(StatusCode Status, int ResponseCode, string Message)> Capture(Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var exception = await Assert.ThrowsAsync<RpcException>(call);
        return (exception.StatusCode, ResponseCode(exception), exception.Status.Detail);
    }
}
