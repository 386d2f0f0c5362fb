using Grpc.AspNetCore.Server;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace IdResolution.Node.Hosting;

/// <summary>
/// Completes the operations JSON transcoding serves: the RPC's name as operationId (what generated
/// clients name their methods), the schemes that authenticate it, and its client errors, which all
/// carry a google.rpc.Status.
/// </summary>
internal sealed class TranscodedOperationFilter : IOperationFilter
{
    /// <summary>
    /// The errors of one RPC beyond those every RPC can answer, from what its core operation can
    /// refuse with; an RPC not listed (a batch answers per item, a listing finds nothing) has none.
    /// </summary>
    private static readonly Dictionary<string, int[]> Specific = new(StringComparer.Ordinal)
    {
        ["Resolve"] = [StatusCodes.Status404NotFound],
        ["CreateHandle"] = [StatusCodes.Status409Conflict],
        ["DeleteHandle"] = [StatusCodes.Status404NotFound],
        ["AddValues"] = [StatusCodes.Status404NotFound, StatusCodes.Status409Conflict],
        ["ModifyValues"] = [StatusCodes.Status404NotFound, StatusCodes.Status409Conflict],
        ["RemoveValues"] = [StatusCodes.Status404NotFound],
        ["CreateAccount"] = [StatusCodes.Status409Conflict],
        ["SetAccountSuspended"] = [StatusCodes.Status404NotFound],
        ["RemoveAccount"] = [StatusCodes.Status404NotFound],
        ["AllocatePrefix"] = [StatusCodes.Status404NotFound, StatusCodes.Status409Conflict],
        ["SetPrefixSuspended"] = [StatusCodes.Status404NotFound],
        ["RemovePrefix"] = [StatusCodes.Status404NotFound],
        ["AdmitNode"] = [StatusCodes.Status409Conflict],
        ["SetNodeSuspended"] = [StatusCodes.Status404NotFound],
        ["DeclareTakeover"] = [StatusCodes.Status404NotFound, StatusCodes.Status409Conflict],
        ["HandBack"] = [StatusCodes.Status404NotFound],
        ["GetTakeover"] = [StatusCodes.Status404NotFound],
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var method = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<GrpcMethodMetadata>().FirstOrDefault()?.Method;
        if (method is null)
        {
            return;
        }

        operation.OperationId = method.Name;
        // Resolution is public; every other service needs an identity.
        var anonymous = method.ServiceName == Contracts.V1.Resolution.Descriptor.FullName;
        operation.Security = ApiSecurity.AnyScheme(anonymous);
        var status = ApiSchemas.Status(context);
        ApiResponses.AddErrors(operation, status, StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);
        if (!anonymous)
        {
            ApiResponses.AddErrors(operation, status, StatusCodes.Status403Forbidden);
        }

        if (Specific.TryGetValue(method.Name, out var specific))
        {
            ApiResponses.AddErrors(operation, status, specific);
        }
    }
}
