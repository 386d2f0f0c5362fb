using IdResolution.Cql.Types;

namespace IdResolution.Cql.Tests.Types;

public sealed class TimeUuidTests
{
    // RFC 9562 appendix A.1: 2022-02-22 14:22:22 -05:00, clock sequence 0x33C8, node 9F6BDECED846.
    private static readonly Guid RfcExample = Guid.Parse("C232AB00-9414-11EC-B3C8-9F6BDECED846");
    private static readonly DateTimeOffset RfcExampleTime = new(2022, 2, 22, 19, 22, 22, TimeSpan.Zero);

    [Fact]
    public void The_rfc_example_reads_its_timestamp()
    {
        Assert.True(TimeUuid.IsTimeUuid(RfcExample));
        Assert.Equal(RfcExampleTime, TimeUuid.GetTimestamp(RfcExample));
    }

    [Fact]
    public void Building_from_the_rfc_examples_fields_gives_the_rfc_example()
    {
        var guid = TimeUuid.Build(TimeUuid.ToTimestamp(RfcExampleTime), 0x33C8, Convert.FromHexString("9F6BDECED846"));

        Assert.Equal(RfcExample, guid);
    }

    [Fact]
    public void A_created_uuid_is_version_1_and_keeps_its_instant_to_100_ns()
    {
        var time = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567);
        var guid = TimeUuid.Create(time);

        Assert.Equal(1, guid.Version);
        Assert.Equal(time, TimeUuid.GetTimestamp(guid));
    }

    [Fact]
    public void Uuids_made_within_one_tick_are_distinct_and_rise()
    {
        var clock = new StoppedClock(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero));
        var first = TimeUuid.NewGuid(clock);
        var second = TimeUuid.NewGuid(clock);

        Assert.NotEqual(first, second);
        Assert.True(TimeUuid.GetTimestamp(second) > TimeUuid.GetTimestamp(first));
    }

    [Fact]
    public void A_random_uuid_is_not_a_time_uuid()
    {
        var random = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        Assert.False(TimeUuid.IsTimeUuid(random));
        Assert.Throws<ArgumentException>(() => TimeUuid.GetTimestamp(random));
    }

    [Fact]
    public void Instants_before_the_gregorian_epoch_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeUuid.Create(new DateTimeOffset(1582, 10, 14, 0, 0, 0, TimeSpan.Zero)));
    }

    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
