using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Core;
using IdResolution.Core.Composition;
using IdResolution.Core.Duties;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;
using IdResolution.Federation.Mapping;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.Security;

namespace IdResolution.Node.Api;

/// <summary>
/// The change log and dumps, served to this node's parent only (its escrow of this node). The position a
/// read starts after is what the parent has applied, and is kept for the retention warning and the lag.
/// A read ends once the parent has caught up; the parent asks again, so no call outlives its deadline.
/// </summary>
internal sealed class EscrowService(CoreServices core, FederationAccess access, EscrowDeposit deposit, IStoreDump dump, NodeMetrics metrics, ILogger<EscrowService> logger)
    : Contracts.V1.Escrow.EscrowBase
{
    private const int DefaultBatch = 500;
    private const int MaxBatch = 5000;

    public override async Task ReadChanges(ReadChangesRequest request, IServerStreamWriter<ChangeBatch> responseStream, ServerCallContext context)
    {
        RequireParent(context);
        metrics.FederationServed("escrow_changes");
        if (request.After > long.MaxValue)
        {
            throw HandleStatus.ToException(HandleResponseCode.InvalidValue, "after is beyond 2^63", status: StatusCode.InvalidArgument);
        }

        var after = (long)request.After;
        var batch = BatchSize(request.BatchSize);
        var last = await core.Store.LastChangePositionAsync(context.CancellationToken);
        if (core.Store.PositionsAreDense && after > last)
        {
            // The parent applied positions this log never issued: this node was restored from an older backup, and
            // its new entries reuse positions the parent took for others. Only a dump makes the copy right again;
            // until then the parent holds nothing this node can count on, which the deposit lag says.
            ApiLog.EscrowPositionAhead(logger, after, last);
            await deposit.RecordAppliedAsync(0, context.CancellationToken);
            await responseStream.WriteAsync(new ChangeBatch { Next = (ulong)after, Trimmed = true, LastPosition = (ulong)last }, context.CancellationToken);
            await deposit.ReadStatusAsync(context.CancellationToken);
            return;
        }

        await deposit.RecordAppliedAsync(after, context.CancellationToken);
        while (true)
        {
            var page = await core.Store.ReadChangesAsync(after, batch, context.CancellationToken);
            var reply = new ChangeBatch { Next = (ulong)page.Next, Trimmed = page.Trimmed, LastPosition = (ulong)Math.Max(last, page.Next) };
            reply.Changes.AddRange(page.Entries.Select(EscrowContract.ToContract));
            await responseStream.WriteAsync(reply, context.CancellationToken);
            if (page.Trimmed || (page.Entries.Count == 0 && page.Next == after) || page.Next >= last)
            {
                break;
            }

            after = page.Next;
        }

        await deposit.ReadStatusAsync(context.CancellationToken);
    }

    public override async Task ReadDump(ReadDumpRequest request, IServerStreamWriter<DumpBatch> responseStream, ServerCallContext context)
    {
        RequireParent(context);
        metrics.FederationServed("escrow_dump");
        var batch = BatchSize(request.BatchSize);
        await using var open = await dump.OpenDumpAsync(context.CancellationToken);
        var reply = new DumpBatch { Position = (ulong)open.Position };
        await foreach (var entry in open.ReadAsync(context.CancellationToken))
        {
            reply.Records.Add(EscrowContract.ToContract(entry));
            if (reply.Records.Count == batch)
            {
                await responseStream.WriteAsync(reply, context.CancellationToken);
                reply = new DumpBatch { Position = (ulong)open.Position };
            }
        }

        // The last batch goes even when empty, so an empty store's dump still tells its position.
        await responseStream.WriteAsync(reply, context.CancellationToken);
    }

    private static int BatchSize(uint asked) => asked == 0 ? DefaultBatch : (int)Math.Min(asked, MaxBatch);

    /// <summary>Only the parent named in <c>Federation:Parent</c>, authenticated by its node key, reads the escrow feed.</summary>
    private void RequireParent(ServerCallContext context)
    {
        access.Require(context);
        var caller = context.ToCaller();
        var parent = core.Options.Federation.Parent.Prefix.Trim();
        if (core.Options.Federation.HasParent && caller.Kind == CallerKind.PeerNode && caller.Name == NodeDelegation.CallerName(parent))
        {
            return;
        }

        throw HandleStatus.ToException(
            caller.IsAuthenticated ? HandleResponseCode.InsufficientPermissions : HandleResponseCode.AuthenticationNeeded,
            core.Options.Federation.HasParent
                ? $"the escrow feed is served only to this node's parent ({parent}), authenticated by a key in Federation:Parent:Credentials"
                : "the escrow feed is served only to a node's parent, and this node has none (Federation:Parent)",
            status: StatusCode.PermissionDenied);
    }
}
