using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Core;
using IdResolution.Core.Composition;
using IdResolution.Core.Monitoring;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.Security;

namespace IdResolution.Node.Api;

/// <summary>The operator duties surface (backups, maintenance, monthly reports): translation only; the store and the journal do the work.</summary>
internal sealed class OperationsAdministrationService(CoreServices core, MonthlyReports reports, ChildHeartbeats heartbeats, TimeProvider time) : OperationsAdministration.OperationsAdministrationBase
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

    public override async Task<MaintenanceWindowInfo> DeclareMaintenance(DeclareMaintenanceRequest request, ServerCallContext context)
    {
        var caller = Authorize(context);
        var node = NodeOf(request.Node);
        if (request.Start is null || request.End is null)
        {
            throw HandleStatus.ToException(HandleResponseCode.InvalidValue, "Give the window's start and end: {\"start\": \"2026-12-20T22:00:00Z\", \"end\": \"2026-12-20T23:00:00Z\"}.");
        }

        var when = new TimeRange(request.Start.ToDateTimeOffset(), request.End.ToDateTimeOffset());
        if (await reports.DeclareAsync(node, when, request.Reason ?? string.Empty, context.CancellationToken) is not { } window)
        {
            throw HandleStatus.ToException(HandleResponseCode.InvalidValue, $"The maintenance window must end after it starts (start {request.Start}, end {request.End}).");
        }

        await AuditAsync(caller, "maintenance", node, HandleResponseCode.Success, $"{when.Start:O} to {when.End:O}: {window.Reason}", context.CancellationToken);
        return ToContract(node, window);
    }

    public override async Task<MonthlyReportReply> GetMonthlyReport(GetMonthlyReportRequest request, ServerCallContext context)
    {
        Authorize(context);
        if (!ReportMonth.TryParse(request.Month, out var month))
        {
            throw HandleStatus.ToException(HandleResponseCode.InvalidValue, $"'{request.Month}' is no month; write it yyyy-MM, e.g. 2026-11.");
        }

        var markdown = request.Format switch
        {
            "" or "json" => false,
            "markdown" => true,
            _ => throw HandleStatus.ToException(HandleResponseCode.InvalidValue, $"format '{request.Format}' is neither json nor markdown."),
        };
        var node = NodeOf(request.Node);
        if (await reports.ReportAsync(node, month.Value, context.CancellationToken) is not { } report)
        {
            throw HandleStatus.ToException(HandleResponseCode.HandleNotFound, $"Nothing was ever recorded here of node {node}.");
        }

        var reply = new MonthlyReportReply
        {
            Node = report.Node,
            Month = report.Month.ToString(),
            ObservedFrom = Timestamp.FromDateTimeOffset(report.Observed.Start),
            ObservedUntil = Timestamp.FromDateTimeOffset(report.Observed.End),
            OperatingHours = report.OperatingHours,
            ScheduledHours = report.Scheduled.TotalHours,
            DowntimeMinutes = report.Downtime.TotalMinutes,
            ExcludedMinutes = report.Excluded.TotalMinutes,
            Registrations = report.Registrations,
            Resolutions = report.Resolutions,
            Markdown = markdown ? MonthlyReportMarkdown.Render(report) : string.Empty,
        };
        if (report.AvailabilityPercent is { } availability)
        {
            reply.AvailabilityPercent = availability;
        }

        reply.Incidents.AddRange(report.Incidents.Select(i => new Incident
        {
            Start = Timestamp.FromDateTimeOffset(i.Start),
            End = Timestamp.FromDateTimeOffset(i.End),
            Minutes = i.Length.TotalMinutes,
        }));
        reply.MaintenanceWindows.AddRange(report.Maintenance.Select(w => ToContract(report.Node, w)));
        return reply;
    }

    public override async Task<ListChildStatusesReply> ListChildStatuses(ListChildStatusesRequest request, ServerCallContext context)
    {
        var caller = Authorize(context);
        var children = await core.Nodes.ListAsync(caller, context.CancellationToken);
        if (!children.IsSuccess)
        {
            throw HandleStatus.ToException(children.Code, children.Message);
        }

        var month = new ReportMonth(time.GetUtcNow().Year, time.GetUtcNow().Month);
        var reply = new ListChildStatusesReply { HeartbeatSeconds = (int)heartbeats.Interval.TotalSeconds };
        foreach (var child in children.Value)
        {
            var status = heartbeats.StatusOf(child.Prefix);
            var entry = new ChildStatus
            {
                Prefix = child.Prefix,
                Name = child.Name,
                Status = status.State.ToString().ToLowerInvariant(),
                Since = Timestamp.FromDateTimeOffset(status.Since),
                Suspended = child.Suspended,
                LastHeartbeat = status.LastHeartbeat is { } last ? Timestamp.FromDateTimeOffset(last) : null,
                Figures = status.Figures is { } figures ? Federation.Mapping.OperationsContract.ToContract(figures) : null,
            };
            if (MonthlyReports.IsNodeName(child.Prefix) && await reports.ReportAsync(child.Prefix, month, context.CancellationToken) is { AvailabilityPercent: { } availability })
            {
                entry.AvailabilityPercent = availability;
            }

            reply.Children.Add(entry);
        }

        return reply;
    }

    private static MaintenanceWindowInfo ToContract(string node, MaintenanceWindow window) => new()
    {
        Node = node,
        Start = Timestamp.FromDateTimeOffset(window.When.Start),
        End = Timestamp.FromDateTimeOffset(window.When.End),
        DeclaredAt = Timestamp.FromDateTimeOffset(window.DeclaredAt),
        Reason = window.Reason,
        Excluded = window.DeclaredInAdvance,
    };

    private static Caller Authorize(ServerCallContext context)
    {
        var caller = context.ToCaller();
        return AuthorizationPolicy.AuthorizeAdministration(caller) is { } denied ? throw HandleStatus.ToException(denied) : caller;
    }

    /// <summary>The node a call names: this node when empty, else a prefix.</summary>
    private string NodeOf(string? node) =>
        string.IsNullOrEmpty(node) ? reports.Self
        : MonthlyReports.IsNodeName(node) ? node
        : throw HandleStatus.ToException(HandleResponseCode.InvalidValue, $"'{node}' is no node prefix.");

    private ValueTask AuditAsync(Caller caller, string target, HandleResponseCode code, string message, CancellationToken cancellationToken) =>
        AuditAsync(caller, "backup", target, code, message, cancellationToken);

    private ValueTask AuditAsync(Caller caller, string operation, string target, HandleResponseCode code, string message, CancellationToken cancellationToken) =>
        core.Audit.AppendAsync([new AuditEntry(time.GetUtcNow(), caller.Name, caller.ClientAddress, operation, target, core.Options.Security.NodePrefix, (int)code, message)], cancellationToken);
}
