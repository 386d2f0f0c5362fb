using IdResolution.Core.Storage;
using IdResolution.Core.Records;

namespace IdResolution.Storage.Cassandra.Tests;

public sealed class WriteOutcomesTests
{
    private const string Key = "88.709.911/ITEM-1";
    private static readonly Core.Records.HandleRecord Stored = Records.Url("88.709.911/item-1", 15, "https://example.org/stored");
    private static readonly byte[] StoredBytes = RecordCodec.Encode(Stored);

    private static PlannedWrite Create() => WritePlanner.Plan(StoreWrite.Create(Key, Records.Url("88.709.911/item-1", 20)), 64);

    private static PlannedWrite Update() => WritePlanner.Plan(StoreWrite.Replace(Key, 10, Records.Url("88.709.911/item-1", 20)), 64);

    private static PlannedWrite Delete() => WritePlanner.Plan(StoreWrite.Delete(Key, 10), 64);

    private static PlannedWrite ConfirmAbsent() => WritePlanner.Plan(StoreWrite.Delete(Key, StoreWrite.Absent), 64);

    [Fact]
    public void An_applied_statement_is_an_applied_write()
    {
        Assert.Equal(WriteDecision.Final(StoreWriteResult.Applied), WriteOutcomes.FromLwt(Create(), LwtResponse.Success));
        Assert.Equal(WriteDecision.Final(StoreWriteResult.Applied), WriteOutcomes.FromLwt(Update(), LwtResponse.Success));
        Assert.Equal(WriteDecision.Final(StoreWriteResult.Applied), WriteOutcomes.FromLwt(Delete(), LwtResponse.Success));
    }

    [Fact]
    public void A_refused_create_is_a_conflict_with_the_row_the_response_carries()
    {
        var decision = WriteOutcomes.FromLwt(Create(), new LwtResponse(false, 15, StoredBytes));

        Assert.False(decision.NeedsSerialRead);
        Assert.Equal(StoreWriteStatus.Conflict, decision.Result.Status);
        Records.AssertSame(Stored, decision.Result.Current);
    }

    [Fact]
    public void A_refused_create_without_the_row_reads_it()
    {
        Assert.Equal(WriteDecision.ReadCurrent, WriteOutcomes.FromLwt(Create(), new LwtResponse(false, null, null)));
    }

    [Fact]
    public void A_refused_update_or_delete_carrying_only_a_version_reads_the_current_record_at_serial()
    {
        Assert.Equal(WriteDecision.ReadCurrent, WriteOutcomes.FromLwt(Update(), new LwtResponse(false, 15, null)));
        Assert.Equal(WriteDecision.ReadCurrent, WriteOutcomes.FromLwt(Delete(), new LwtResponse(false, 15, null)));

        var result = WriteOutcomes.FromSerialRead(Update(), StoredBytes);

        Assert.Equal(StoreWriteStatus.Conflict, result.Status);
        Records.AssertSame(Stored, result.Current);
    }

    [Fact]
    public void A_refused_update_or_delete_of_a_missing_row_is_a_conflict_with_nothing_stored()
    {
        Assert.Equal(WriteDecision.Final(StoreWriteResult.Conflict(null)), WriteOutcomes.FromLwt(Update(), new LwtResponse(false, null, null)));
        Assert.Equal(WriteDecision.Final(StoreWriteResult.Conflict(null)), WriteOutcomes.FromLwt(Delete(), new LwtResponse(false, null, null)));
    }

    [Fact]
    public void A_serial_read_that_finds_the_handle_gone_after_a_refusal_is_a_conflict_with_nothing()
    {
        Assert.Equal(StoreWriteResult.Conflict(null), WriteOutcomes.FromSerialRead(Delete(), null));
    }

    [Fact]
    public void Confirming_absence_applies_when_nothing_is_stored_and_conflicts_otherwise()
    {
        Assert.Equal(StoreWriteResult.Applied, WriteOutcomes.FromSerialRead(ConfirmAbsent(), null));

        var conflict = WriteOutcomes.FromSerialRead(ConfirmAbsent(), StoredBytes);

        Assert.Equal(StoreWriteStatus.Conflict, conflict.Status);
        Records.AssertSame(Stored, conflict.Current);
        Assert.Throws<ArgumentException>(() => WriteOutcomes.FromLwt(ConfirmAbsent(), LwtResponse.Success));
    }

    [Fact]
    public void A_damaged_stored_record_is_reported_with_its_key()
    {
        var error = Assert.Throws<InvalidDataException>(() => WriteOutcomes.FromLwt(Create(), new LwtResponse(false, 15, [1, 2, 3])));

        Assert.Contains(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lost_answer_counts_as_applied_when_the_new_version_is_stored()
    {
        var landed = RecordCodec.Encode(Records.Url("88.709.911/item-1", 20));

        Assert.Equal(StoreWriteResult.Applied, WriteOutcomes.FromUnknown(Create(), landed));
        Assert.Equal(StoreWriteResult.Applied, WriteOutcomes.FromUnknown(Update(), landed));
        Assert.Equal(StoreWriteResult.Applied, WriteOutcomes.FromUnknown(Delete(), null));
    }

    [Fact]
    public void A_lost_answer_stays_unknown_while_the_expected_version_is_still_stored()
    {
        var unchanged = RecordCodec.Encode(Records.Url("88.709.911/item-1", 10));

        Assert.Throws<StoreUnavailableException>(() => WriteOutcomes.FromUnknown(Update(), unchanged));
        Assert.Throws<StoreUnavailableException>(() => WriteOutcomes.FromUnknown(Delete(), unchanged));
        Assert.Throws<StoreUnavailableException>(() => WriteOutcomes.FromUnknown(Create(), null));
    }

    [Fact]
    public void A_lost_answer_is_a_conflict_when_another_version_is_stored()
    {
        var result = WriteOutcomes.FromUnknown(Update(), StoredBytes);

        Assert.Equal(StoreWriteStatus.Conflict, result.Status);
        Records.AssertSame(Stored, result.Current);
        Assert.Equal(StoreWriteResult.Conflict(null), WriteOutcomes.FromUnknown(Update(), null));
    }
}
