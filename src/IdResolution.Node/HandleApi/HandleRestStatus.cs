using IdResolution.Core;

namespace IdResolution.Node.HandleApi;

/// <summary>
/// The one mapping of Handle response codes to HTTP statuses on the Handle.Net-compatible REST API
/// (Handle.Net's BaseHandleRequestProcessingServlet; domain notes §4.6).
/// </summary>
internal static class HandleRestStatus
{
    /// <param name="code">The response code of the answer.</param>
    /// <param name="created">A success that created the handle (201); any other success is 200, also one that added values.</param>
    /// <param name="resolution">The answer to a resolution, where VALUES_NOT_FOUND is an ordinary 200.</param>
    /// <param name="overTls">Whether the request came over TLS; AUTHENTICATION_NEEDED is 401 only there, else 403.</param>
    public static int ToHttpStatus(HandleResponseCode code, bool created, bool resolution, bool overTls) => code switch
    {
        HandleResponseCode.Success => created ? StatusCodes.Status201Created : StatusCodes.Status200OK,
        HandleResponseCode.ValuesNotFound => resolution ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest,
        HandleResponseCode.ServiceReferral or HandleResponseCode.PrefixReferral => StatusCodes.Status300MultipleChoices,
        HandleResponseCode.HandleNotFound => StatusCodes.Status404NotFound,
        HandleResponseCode.HandleAlreadyExists or HandleResponseCode.ValueAlreadyExists => StatusCodes.Status409Conflict,
        HandleResponseCode.ProtocolError or HandleResponseCode.InvalidHandle
            or HandleResponseCode.InvalidValue or HandleResponseCode.ServerNotResponsible => StatusCodes.Status400BadRequest,
        HandleResponseCode.OperationNotSupported => StatusCodes.Status501NotImplemented,
        // Handle.Net answers any other code 500; this node gives code 2 only for conditions that pass (a full disk,
        // credentials that cannot be checked right now), which a client should retry, so 503 as the other surfaces do.
        HandleResponseCode.ServerTooBusy or HandleResponseCode.ServerBackup or HandleResponseCode.Error => StatusCodes.Status503ServiceUnavailable,
        HandleResponseCode.AuthenticationNeeded => overTls ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden,
        HandleResponseCode.InvalidAdmin or HandleResponseCode.InsufficientPermissions
            or HandleResponseCode.AuthenticationFailed or HandleResponseCode.InvalidCredential => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status500InternalServerError,
    };
}
