using Grpc.Core;
using IdResolution.Core;
using IdResolution.Node.ErrorReplies;

namespace IdResolution.Node.Api;

/// <summary>
/// Whether this node takes node-to-node calls: only over TLS, unless <c>Federation:AllowInsecure</c> says
/// otherwise (development), because without TLS nothing protects what the calling node is told.
/// </summary>
internal sealed class FederationAccess(bool tls, bool allowInsecure)
{
    public void Require(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!tls && !allowInsecure && !context.GetHttpContext().Request.IsHttps)
        {
            throw HandleStatus.ToException(HandleResponseCode.OperationNotSupported,
                "this node federates over TLS only (Node:Tls); Federation:AllowInsecure=true allows it without, for development", status: StatusCode.FailedPrecondition);
        }
    }
}
