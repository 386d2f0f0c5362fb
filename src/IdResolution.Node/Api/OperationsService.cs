using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Core;
using IdResolution.Core.Composition;
using IdResolution.Core.Monitoring;
using IdResolution.Core.Security;
using IdResolution.Federation.Mapping;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.Security;

namespace IdResolution.Node.Api;

/// <summary>Child nodes' heartbeats: only an admitted, active child (a PeerNode caller) is heard; its figures are kept and its alive mark journaled.</summary>
internal sealed class OperationsService(CoreServices core, FederationAccess access, ChildHeartbeats heartbeats, IOperationsJournal journal, TimeProvider time) : Operations.OperationsBase
{
    public override async Task<HeartbeatReply> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        access.Require(context);
        var caller = context.ToCaller();
        if (caller is not { Kind: CallerKind.PeerNode, Identity: { Index: NodeDelegation.IdentityIndex } identity }
            || !core.Grammar.TryParse(identity.Handle, out var id, out _) || !id.IsPrefixHandle)
        {
            throw HandleStatus.ToException(HandleResponseCode.AuthenticationNeeded, "A heartbeat needs an admitted child node's credentials.");
        }

        var prefix = id.Key[(id.SlashIndex + 1)..];
        if (await core.Nodes.FindAsync(prefix, context.CancellationToken) is not { Suspended: false })
        {
            throw HandleStatus.ToException(HandleResponseCode.InsufficientPermissions, $"No active child node is admitted here for prefix {prefix}.");
        }

        var figures = OperationsContract.ToCore(request.Figures)
            ?? throw HandleStatus.ToException(HandleResponseCode.InvalidValue, "The heartbeat's figures are missing or negative.");
        await journal.RecordAliveAsync(heartbeats.Record(prefix, figures), context.CancellationToken);
        return new HeartbeatReply { ReceivedAt = Timestamp.FromDateTimeOffset(time.GetUtcNow()) };
    }
}
