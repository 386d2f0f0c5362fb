using System.Net.Sockets;
using Google.Rpc;
using Grpc.Core;

namespace IdResolution.Cli.Connection;

/// <summary>
/// Node errors as the command line reports them: the node's message, its gRPC status and the Handle response
/// code it puts in the status details (a google.rpc.ErrorInfo whose metadata "responseCode" holds it).
/// </summary>
internal static class RpcErrors
{
    public static CliFailure Translate(RpcException error, Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(error);
        var responseCode = ResponseCode(error);
        var status = StatusName(error.StatusCode);
        var exitCode = error.StatusCode switch
        {
            StatusCode.Unimplemented => ExitCodes.NotSupported,
            StatusCode.Unavailable or StatusCode.DeadlineExceeded => ExitCodes.Unavailable,
            StatusCode.Unauthenticated or StatusCode.PermissionDenied => ExitCodes.Refused,
            StatusCode.ResourceExhausted => ExitCodes.Unavailable,
            _ when responseCode != 0 => ExitCodes.ForResponseCode(responseCode),
            StatusCode.InvalidArgument => ExitCodes.Usage,
            StatusCode.NotFound => ExitCodes.NotFound,
            StatusCode.AlreadyExists => ExitCodes.Conflict,
            _ => ExitCodes.Failed,
        };
        var message = error.StatusCode switch
        {
            StatusCode.Unimplemented => $"the node at {endpoint} does not serve this call (UNIMPLEMENTED): it is older than this command line",
            StatusCode.Unavailable when error.Status.DebugException is HttpRequestException or SocketException =>
                $"cannot reach the node at {endpoint}: {error.Status.DebugException.Message}",
            StatusCode.DeadlineExceeded => $"the node at {endpoint} did not answer in time (raise --timeout)",
            _ => error.Status.Detail,
        };
        return new CliFailure(exitCode, message, status, responseCode, error);
    }

    /// <summary>The Handle response code in the error's details, or 0 when the node sent none.</summary>
    public static int ResponseCode(RpcException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var details = error.Trailers.GetValueBytes("grpc-status-details-bin");
        if (details is null)
        {
            return 0;
        }

        try
        {
            foreach (var detail in Google.Rpc.Status.Parser.ParseFrom(details).Details)
            {
                if (detail.TryUnpack<ErrorInfo>(out var info) && info.Metadata.TryGetValue("responseCode", out var text) && int.TryParse(text, out var code))
                {
                    return code;
                }
            }
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            // Details from something other than the node (a proxy); the gRPC status still says what happened.
        }

        return 0;
    }

    /// <summary>True for failures that a retry of an idempotent call can get past.</summary>
    public static bool IsTransient(RpcException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted
            || (error.StatusCode != StatusCode.OK && ResponseCode(error) == 3);
    }

    private static string StatusName(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.Unknown => "UNKNOWN",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Aborted => "ABORTED",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DataLoss => "DATA_LOSS",
        _ => code.ToString(),
    };
}
