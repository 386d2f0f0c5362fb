using Google.Protobuf.WellKnownTypes;
using IdResolution.Contracts.V1;
using IdResolution.Core.Security;

namespace IdResolution.Node.Dashboard;

/// <summary>An audit entry in the contract's words: one mapping for QueryAudit and the node's status.</summary>
internal static class AuditRecords
{
    public static AuditRecord From(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new AuditRecord
        {
            Time = Timestamp.FromDateTimeOffset(entry.Time),
            Who = entry.Who,
            ClientAddress = entry.ClientAddress,
            Operation = entry.Operation,
            Target = entry.Target,
            Prefix = entry.Prefix,
            ResponseCode = entry.ResponseCode,
            Message = entry.Message,
        };
    }
}
