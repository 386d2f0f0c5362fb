using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using IdResolution.Core;

namespace IdResolution.Node.ErrorReplies;

/// <summary>
/// The one place Handle response codes become gRPC statuses. The code itself travels in the status
/// details as a google.rpc.ErrorInfo, so both gRPC and JSON clients can read it.
/// </summary>
internal static class HandleStatus
{
    public const string Domain = "idresolution.v1";
    public const string ResponseCodeKey = "responseCode";

    public static StatusCode ToStatusCode(HandleResponseCode code) => code switch
    {
        HandleResponseCode.Success => StatusCode.OK,
        HandleResponseCode.HandleNotFound or HandleResponseCode.ValuesNotFound => StatusCode.NotFound,
        HandleResponseCode.HandleAlreadyExists or HandleResponseCode.ValueAlreadyExists => StatusCode.AlreadyExists,
        HandleResponseCode.InvalidHandle or HandleResponseCode.InvalidValue or HandleResponseCode.ProtocolError => StatusCode.InvalidArgument,
        HandleResponseCode.ServerTooBusy or HandleResponseCode.ServerBackup => StatusCode.Unavailable,
        HandleResponseCode.OperationNotSupported => StatusCode.Unimplemented,
        HandleResponseCode.AuthenticationNeeded or HandleResponseCode.AuthenticationFailed
            or HandleResponseCode.InvalidCredential or HandleResponseCode.AuthenticationTimeout => StatusCode.Unauthenticated,
        HandleResponseCode.InvalidAdmin or HandleResponseCode.InsufficientPermissions => StatusCode.PermissionDenied,
        HandleResponseCode.ServerNotResponsible or HandleResponseCode.ServiceReferral
            or HandleResponseCode.PrefixReferral or HandleResponseCode.OutOfDateSiteInfo => StatusCode.FailedPrecondition,
        HandleResponseCode.RecursionCountTooHigh => StatusCode.Aborted,
        _ => StatusCode.Internal,
    };

    /// <summary>Formats a status the way JSON transcoding writes errors, for answers given before a request reaches gRPC.</summary>
    public static JsonFormatter Json { get; } = new(JsonFormatter.Settings.Default.WithTypeRegistry(Registry));

    public static TypeRegistry Registry => TypeRegistry.FromMessages(ErrorInfo.Descriptor);

    public static RpcException ToException(HandleResponseCode code, string message, string? handle = null, StatusCode? status = null) =>
        ToRpcStatus(code, message, handle, status).ToRpcException();

    public static Google.Rpc.Status ToRpcStatus(HandleResponseCode code, string message, string? handle = null, StatusCode? status = null, string? reason = null)
    {
        var info = new ErrorInfo { Reason = reason ?? Reason(code), Domain = Domain };
        info.Metadata.Add(ResponseCodeKey, ((int)code).ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(handle))
        {
            info.Metadata.Add("handle", handle);
        }

        var rpcStatus = new Google.Rpc.Status { Code = (int)(status ?? ToStatusCode(code)), Message = message };
        rpcStatus.Details.Add(Any.Pack(info));
        return rpcStatus;
    }

    /// <summary>An outcome's code and message, and its reason when the core gave one (code 2 with UPSTREAM_UNAVAILABLE is UNAVAILABLE).</summary>
    public static RpcException ToException<T>(Outcome<T> outcome, string? handle = null) => ToRpcStatus(outcome, handle).ToRpcException();

    public static Google.Rpc.Status ToRpcStatus<T>(Outcome<T> outcome, string? handle = null) =>
        ToRpcStatus(outcome.Code, outcome.Message, handle, outcome.Reason is null ? null : StatusCode.Unavailable, outcome.Reason);

    public static RpcException ToException(Refusal refusal) => ToException(refusal.Code, refusal.Message);

    /// <summary>Screaming-snake names as in the Handle specification (HANDLE_NOT_FOUND, ...).</summary>
    private static string Reason(HandleResponseCode code) => code switch
    {
        HandleResponseCode.HandleNotFound => "HANDLE_NOT_FOUND",
        HandleResponseCode.HandleAlreadyExists => "HANDLE_ALREADY_EXISTS",
        HandleResponseCode.InvalidHandle => "INVALID_HANDLE",
        HandleResponseCode.ValuesNotFound => "VALUES_NOT_FOUND",
        HandleResponseCode.ValueAlreadyExists => "VALUE_ALREADY_EXISTS",
        HandleResponseCode.InvalidValue => "INVALID_VALUE",
        HandleResponseCode.ProtocolError => "PROTOCOL_ERROR",
        HandleResponseCode.ServerTooBusy => "SERVER_TOO_BUSY",
        HandleResponseCode.InsufficientPermissions => "INSUFFICIENT_PERMISSIONS",
        HandleResponseCode.AuthenticationNeeded => "AUTHENTICATION_NEEDED",
        HandleResponseCode.ServerNotResponsible => "SERVER_NOT_RESPONSIBLE",
        _ => "HANDLE_ERROR_" + ((int)code).ToString(CultureInfo.InvariantCulture),
    };
}
