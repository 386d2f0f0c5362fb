using System.Globalization;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;

namespace IdResolution.Storage.Cassandra;

/// <summary>Maps Cassandra's answers to <see cref="StoreWriteResult"/>s, without the driver.</summary>
internal static class WriteOutcomes
{
    /// <summary>The outcome of an answered conditional statement.</summary>
    public static WriteDecision FromLwt(PlannedWrite write, LwtResponse response)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (write.Kind == PlannedWriteKind.ConfirmAbsent)
        {
            throw new ArgumentException("A write that confirms absence has no conditional statement.", nameof(write));
        }

        if (response.Applied)
        {
            return WriteDecision.Final(StoreWriteResult.Applied);
        }

        if (response.Record is { } record)
        {
            return WriteDecision.Final(StoreWriteResult.Conflict(Decode(write.Key, record)));
        }

        // An update or delete of a row that does not exist: the condition column comes back null, or not at all.
        if (response.Version is null && write.Kind != PlannedWriteKind.Create)
        {
            return WriteDecision.Final(StoreWriteResult.Conflict(null));
        }

        return WriteDecision.ReadCurrent;
    }

    /// <summary>
    /// A conflict, given the record a SERIAL read found after the statement was refused; for
    /// <see cref="PlannedWriteKind.ConfirmAbsent"/>, the whole decision.
    /// </summary>
    public static StoreWriteResult FromSerialRead(PlannedWrite write, byte[]? stored)
    {
        ArgumentNullException.ThrowIfNull(write);
        var current = stored is null ? null : Decode(write.Key, stored);
        return write.Kind == PlannedWriteKind.ConfirmAbsent && current is null
            ? StoreWriteResult.Applied
            : StoreWriteResult.Conflict(current);
    }

    /// <summary>
    /// The outcome of a conditional statement whose answer was lost (a CAS write timeout, a dropped
    /// connection), from what a SERIAL read found afterwards; null when the write did not land. That read
    /// completes any Paxos round in flight, so versions tell what happened: versions are never reused, so
    /// finding the new one means this write landed. Finding the expected one means it has not landed: sending it
    /// again with the same condition is safe, and should the lost try land after all (a round that reached some
    /// replicas can be finished by a later one), the try sent again finds this write's own version (<see cref="AfterResend"/>).
    /// </summary>
    /// <param name="write">The conditional write whose answer was lost.</param>
    /// <param name="stored">What the serial read found.</param>
    public static StoreWriteResult? FromUnknownOrNotLanded(PlannedWrite write, byte[]? stored)
    {
        ArgumentNullException.ThrowIfNull(write);
        var current = stored is null ? null : Decode(write.Key, stored);
        if (Landed(write, current))
        {
            return StoreWriteResult.Applied;
        }

        return (current?.Version ?? StoreWrite.Absent) == write.Write.ExpectedVersion ? null : StoreWriteResult.Conflict(current);
    }

    /// <summary>
    /// The answer to a conditional write sent again after an earlier try of it was lost: a conflict with this
    /// write's own result is that earlier try, landed after all (a Paxos round that reached only some replicas
    /// can be finished by a later one), and is reported as applied, not as somebody else's change.
    /// </summary>
    /// <param name="write">The write sent again.</param>
    /// <param name="result">What the try sent again was answered.</param>
    public static StoreWriteResult AfterResend(PlannedWrite write, StoreWriteResult result)
    {
        ArgumentNullException.ThrowIfNull(write);
        return result.Status == StoreWriteStatus.Conflict && Landed(write, result.Current) ? StoreWriteResult.Applied : result;
    }

    /// <summary>Whether <paramref name="current"/> is what this write leaves; versions are never reused, so only it can.</summary>
    private static bool Landed(PlannedWrite write, HandleRecord? current) => write.Kind switch
    {
        PlannedWriteKind.Create or PlannedWriteKind.Update => current?.Version == write.Record!.Version,

        // Gone is what this delete wanted; no other record can have been removed, as versions are unique.
        _ => current is null,
    };

    /// <summary>
    /// As <see cref="FromUnknownOrNotLanded"/>, for the last try: a write that did not land is thrown as
    /// unavailable, for the caller to retry, which is safe with the same condition.
    /// </summary>
    /// <param name="write">The conditional write whose answer was lost.</param>
    /// <param name="stored">What the serial read found.</param>
    /// <param name="cause">Why the answer was lost (a dropped connection, a timeout), for the message.</param>
    public static StoreWriteResult FromUnknown(PlannedWrite write, byte[]? stored, Exception? cause = null) =>
        FromUnknownOrNotLanded(write, stored) ?? throw new StoreUnavailableException(
            $"The write of '{write.Key}' is not confirmed: {CassandraFailures.WhyUnknown(cause)}; its outcome is unknown and it is safe to retry.",
            cause ?? new CasOutcomeUnknownException("The answer to the conditional write was lost."));

    /// <summary>A stored record; damage is reported with its key rather than as a conflict or a miss.</summary>
    internal static HandleRecord Decode(string key, byte[] bytes) =>
        RecordCodec.TryDecode(bytes, out var record)
            ? record!
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The stored record of '{key}' ({bytes.Length} bytes) is damaged and cannot be decoded."));
}
