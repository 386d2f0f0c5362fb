using System.Globalization;
using IdResolution.Core.Records;
using Grpc.Core;
using IdResolution.Core.Security;

namespace IdResolution.Node.Security;

/// <summary>The one translation from whatever authenticated a request to the core's <see cref="Caller"/>.</summary>
internal static class CallerMapping
{
    public static Caller ToCaller(this HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return Caller.Anonymous(address);
        }

        var name = user.Identity.Name ?? "unnamed";
        var handle = user.FindFirst(NodeClaims.Handle)?.Value;
        var hasIndex = int.TryParse(user.FindFirst(NodeClaims.Index)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index);
        return user.FindFirst(NodeClaims.Kind)?.Value switch
        {
            NodeClaims.KindAdministrator => Caller.Administrator(name, address),
            NodeClaims.KindAdmin when handle is not null && hasIndex => Caller.Admin(new ValueReference(handle, index), name, address),
            NodeClaims.KindPeer when handle is not null && hasIndex => new Caller(CallerKind.PeerNode, new ValueReference(handle, index), name, address),
            _ => Caller.Anonymous(address),
        };
    }

    public static Caller ToCaller(this ServerCallContext context) => context.GetHttpContext().ToCaller();
}
