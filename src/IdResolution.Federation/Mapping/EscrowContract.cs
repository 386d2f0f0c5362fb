using Google.Protobuf.WellKnownTypes;
using IdResolution.Core;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;
using Contract = IdResolution.Contracts.V1;

namespace IdResolution.Federation.Mapping;

/// <summary>
/// The escrow contract's messages and the store's change log and dump entries, both ways: the child writes
/// them, the parent reads them back, with every value (permissions included), so the parent can answer as
/// the child would. What a child sends is checked like any input; what cannot be read is a failed outcome.
/// </summary>
public static class EscrowContract
{
    public static Contract.EscrowChange ToContract(ChangeEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var change = new Contract.EscrowChange
        {
            Position = (ulong)entry.Position,
            Key = entry.Key,
            Version = (ulong)entry.Version,
            Deleted = entry.IsDeletion,
            CommittedAt = Timestamp.FromDateTimeOffset(entry.CommittedAt),
        };
        if (entry.Record is { } record)
        {
            change.Handle = record.Handle;
            ContractValues.AddTo(change.Values, record.Values);
        }

        return change;
    }

    public static Contract.EscrowRecord ToContract(DumpEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var result = new Contract.EscrowRecord { Key = entry.Key, Handle = entry.Record.Handle, Version = (ulong)entry.Record.Version };
        ContractValues.AddTo(result.Values, entry.Record.Values);
        return result;
    }

    public static Outcome<ChangeEntry> ToCore(Contract.EscrowChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (string.IsNullOrEmpty(change.Key) || change.Version > long.MaxValue || change.Position > long.MaxValue)
        {
            return Outcome<ChangeEntry>.Fail(HandleResponseCode.Error, "a change without its key, or with a version or position beyond 2^63");
        }

        var committed = change.CommittedAt?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch;
        if (change.Deleted)
        {
            return Outcome<ChangeEntry>.Ok(new ChangeEntry((long)change.Position, change.Key, null, (long)change.Version, committed));
        }

        var record = ToRecord(change.Handle, change.Version, change.Values);
        return record.IsSuccess
            ? Outcome<ChangeEntry>.Ok(new ChangeEntry((long)change.Position, change.Key, record.Value, (long)change.Version, committed))
            : Outcome<ChangeEntry>.Fail(record.Code, record.Message);
    }

    public static Outcome<DumpEntry> ToCore(Contract.EscrowRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (string.IsNullOrEmpty(record.Key))
        {
            return Outcome<DumpEntry>.Fail(HandleResponseCode.Error, "a dumped record without its key");
        }

        var parsed = ToRecord(record.Handle, record.Version, record.Values);
        return parsed.IsSuccess ? Outcome<DumpEntry>.Ok(new DumpEntry(record.Key, parsed.Value)) : Outcome<DumpEntry>.Fail(parsed.Code, parsed.Message);
    }

    private static Outcome<HandleRecord> ToRecord(string handle, ulong version, IReadOnlyList<Contract.HandleValue> values)
    {
        if (string.IsNullOrEmpty(handle) || version > long.MaxValue)
        {
            return Outcome<HandleRecord>.Fail(HandleResponseCode.Error, "a record without its handle or with a version beyond 2^63");
        }

        var parsed = ContractValues.FromNode(values);
        return parsed.IsSuccess
            ? Outcome<HandleRecord>.Ok(new HandleRecord(handle, parsed.Value, (long)version))
            : Outcome<HandleRecord>.Fail(parsed.Code, parsed.Message);
    }
}
