using System.Globalization;
using Google.Rpc;
using Grpc.Core;
using IdResolution.Core;

namespace IdResolution.Federation.Mapping;

/// <summary>
/// The Handle response code of a gRPC status another node answered with. Nodes put it in the status
/// details (a google.rpc.ErrorInfo of domain <see cref="Domain"/>, key <see cref="ResponseCodeKey"/>),
/// as every surface of this program does; a status without it is read by its gRPC code.
/// </summary>
internal static class StatusResponseCodes
{
    public const string Domain = "idresolution.v1";
    public const string ResponseCodeKey = "responseCode";

    public static HandleResponseCode CodeOf(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.GetRpcStatus() is { } status)
        {
            foreach (var detail in status.Details)
            {
                if (detail.TryUnpack(out ErrorInfo info) && info.Domain == Domain
                    && info.Metadata.TryGetValue(ResponseCodeKey, out var text)
                    && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                    && Enum.IsDefined((HandleResponseCode)value) && value != (int)HandleResponseCode.Success)
                {
                    return (HandleResponseCode)value;
                }
            }
        }

        return exception.StatusCode switch
        {
            StatusCode.NotFound => HandleResponseCode.HandleNotFound,
            StatusCode.AlreadyExists => HandleResponseCode.HandleAlreadyExists,
            StatusCode.PermissionDenied => HandleResponseCode.InsufficientPermissions,
            StatusCode.Unauthenticated => HandleResponseCode.AuthenticationFailed,
            StatusCode.FailedPrecondition => HandleResponseCode.ServerNotResponsible,
            StatusCode.Aborted => HandleResponseCode.RecursionCountTooHigh,
            StatusCode.Unimplemented => HandleResponseCode.OperationNotSupported,
            _ => HandleResponseCode.Error,
        };
    }
}
