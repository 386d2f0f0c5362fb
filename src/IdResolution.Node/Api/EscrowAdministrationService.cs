using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Core;
using IdResolution.Core.Composition;
using IdResolution.Core.Escrow;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.Escrow;
using IdResolution.Node.Security;

namespace IdResolution.Node.Api;

/// <summary>The escrow's administration surface: translation only; the copies' store, the puller and the node's own dump hold the figures.</summary>
internal sealed class EscrowAdministrationService(CoreServices core, EscrowCopies copies, IStoreDump dump) : EscrowAdministration.EscrowAdministrationBase
{
    public override async Task<ListEscrowReply> ListEscrow(ListEscrowRequest request, ServerCallContext context)
    {
        var caller = Authorize(context);
        var puller = Puller();
        var nodes = new SortedSet<string>(await puller.Store.NodesAsync(context.CancellationToken), StringComparer.Ordinal);
        if (await core.Nodes.ListAsync(caller, context.CancellationToken) is { IsSuccess: true } admitted)
        {
            nodes.UnionWith(admitted.Value.Select(child => child.Prefix));
        }

        var reply = new ListEscrowReply();
        foreach (var node in nodes)
        {
            var position = await puller.Store.PositionAsync(node, context.CancellationToken);
            var lag = puller.LagOf(node);
            reply.Copies.Add(new EscrowCopyInfo
            {
                Node = node,
                AppliedPosition = (ulong)position.Applied,
                AppliedAt = position.AppliedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
                LagEntries = (ulong)(lag?.Entries ?? 0),
                LagSeconds = lag?.Seconds ?? 0,
                DumpOpen = position.DumpOpen,
                Records = (ulong)await puller.Store.CountAsync(node, context.CancellationToken),
                ReadAt = lag is null ? null : Timestamp.FromDateTimeOffset(lag.ReadAt),
            });
        }

        return reply;
    }

    public override async Task<ChecksumsReply> GetEscrowChecksums(GetEscrowChecksumsRequest request, ServerCallContext context)
    {
        Authorize(context);
        var puller = Puller();
        var node = request.Node.Trim();
        if (!(await puller.Store.NodesAsync(context.CancellationToken)).Contains(node, StringComparer.Ordinal))
        {
            throw HandleStatus.ToException(HandleResponseCode.HandleNotFound, $"this node keeps no escrow copy of node '{node}'; GET /v1/admin/escrow lists the copies it keeps");
        }

        var position = await puller.Store.PositionAsync(node, context.CancellationToken);
        return Reply(node, position.Applied, await puller.Store.SummarizeAsync(node, context.CancellationToken));
    }

    public override async Task<ChecksumsReply> GetChecksums(GetChecksumsRequest request, ServerCallContext context)
    {
        Authorize(context);
        var sums = new PrefixChecksums();
        await using var open = await dump.OpenDumpAsync(context.CancellationToken);
        await foreach (var entry in open.ReadAsync(context.CancellationToken))
        {
            sums.Add(entry.Key, entry.Record.Version);
        }

        return Reply(core.Jurisdiction.NodePrefix, open.Position, sums.ToList());
    }

    private static ChecksumsReply Reply(string node, long position, IReadOnlyList<PrefixChecksum> prefixes)
    {
        var reply = new ChecksumsReply { Node = node, Position = (ulong)position, Records = (ulong)prefixes.Sum(p => p.Count) };
        reply.Prefixes.AddRange(prefixes.Select(p => new PrefixChecksumInfo
        {
            Prefix = p.Prefix,
            Count = (ulong)p.Count,
            Checksum = p.Checksum.ToString("x16", CultureInfo.InvariantCulture),
        }));
        return reply;
    }

    private Core.Duties.EscrowPuller Puller() => copies.Puller
        ?? throw HandleStatus.ToException(HandleResponseCode.OperationNotSupported, "this node keeps no escrow copies: " + copies.OffReason);

    private static Caller Authorize(ServerCallContext context)
    {
        var caller = context.ToCaller();
        return AuthorizationPolicy.AuthorizeAdministration(caller) is { } denied ? throw HandleStatus.ToException(denied) : caller;
    }
}
