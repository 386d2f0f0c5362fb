using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Core;
using IdResolution.Core.Composition;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.Security;

namespace IdResolution.Node.Api;

/// <summary>The operator duties surface (backups): translation only; the store takes the backup.</summary>
internal sealed class OperationsAdministrationService(CoreServices core, TimeProvider time) : OperationsAdministration.OperationsAdministrationBase
{
    public override async Task<BackupReply> StartBackup(StartBackupRequest request, ServerCallContext context)
    {
        var caller = context.ToCaller();
        if (AuthorizationPolicy.AuthorizeAdministration(caller) is { } denied)
        {
            throw HandleStatus.ToException(denied);
        }

        if (core.Store is not IStoreBackup store)
        {
            throw HandleStatus.ToException(HandleResponseCode.OperationNotSupported,
                "This node's store is backed up by its own tools (Cassandra: nodetool snapshot, with the change log position noted first); see the README.");
        }

        if (string.IsNullOrWhiteSpace(request.Directory))
        {
            throw HandleStatus.ToException(HandleResponseCode.InvalidValue, "Name the backup directory: {\"directory\": \"/backups/2026-12-05\"} (new or empty, outside the store).");
        }

        BackupSummary summary;
        try
        {
            summary = await store.BackupAsync(request.Directory, context.CancellationToken);
        }
        catch (BackupRefusedException refused)
        {
            await AuditAsync(caller, request.Directory, HandleResponseCode.InvalidValue, refused.Message, context.CancellationToken);
            throw HandleStatus.ToException(HandleResponseCode.InvalidValue, refused.Message);
        }

        await AuditAsync(caller, summary.Directory, HandleResponseCode.Success,
            $"backup to change log position {summary.FeedPosition}, {summary.Records} records, SHA-256 {summary.RecordsSha256}", context.CancellationToken);
        return new BackupReply
        {
            Directory = summary.Directory,
            TakenAt = Timestamp.FromDateTimeOffset(summary.TakenAt),
            FeedPosition = summary.FeedPosition,
            Records = summary.Records,
            RecordsSha256 = summary.RecordsSha256,
            Bytes = summary.Bytes,
        };
    }

    private ValueTask AuditAsync(Caller caller, string target, HandleResponseCode code, string message, CancellationToken cancellationToken) =>
        core.Audit.AppendAsync([new AuditEntry(time.GetUtcNow(), caller.Name, caller.ClientAddress, "backup", target, core.Options.Security.NodePrefix, (int)code, message)], cancellationToken);
}
