using IdResolution.Core.Caching;
using IdResolution.Core.Records;
using Microsoft.Extensions.Time.Testing;

namespace IdResolution.Core.Tests.Caching;

public sealed class CacheTtlPolicyTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly long NowSeconds = Now.ToUnixTimeSeconds();

    private static CacheTtlPolicy Policy(int maxTtl = 3600, int notFoundTtl = 60) =>
        new(new CacheOptions { MaxTtlSeconds = maxTtl, NotFoundTtlSeconds = notFoundTtl }, new FakeTimeProvider(Now));

    private static HandleRecord Record(params HandleValue[] values) => new("88.1/x", values, 1);

    private static HandleValue Value(int index, long ttl, TtlType type = TtlType.Relative) => new() { Index = index, Type = "URL", Ttl = ttl, TtlType = type };

    [Fact]
    public void A_not_found_answer_is_cached_for_the_not_found_ttl()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), Policy().For(null));
        Assert.Equal(TimeSpan.FromSeconds(5), Policy(notFoundTtl: 5).For(null));
        Assert.Equal(TimeSpan.Zero, Policy(notFoundTtl: -1).For(null));
    }

    [Fact]
    public void A_record_is_cached_for_its_smallest_value_ttl() =>
        Assert.Equal(TimeSpan.FromSeconds(30), Policy().For(Record(Value(1, 300), Value(2, 30), Value(3, 86400))));

    [Fact]
    public void The_ttl_is_capped_at_the_maximum()
    {
        Assert.Equal(TimeSpan.FromSeconds(3600), Policy().For(Record(Value(1, 86400))));
        Assert.Equal(TimeSpan.FromSeconds(3600), Policy().For(Record()));
        Assert.Equal(TimeSpan.FromSeconds(10), Policy(maxTtl: 10).For(Record(Value(1, 20))));
        Assert.Equal(TimeSpan.Zero, Policy(maxTtl: -5).For(Record(Value(1, 20))));
    }

    [Fact]
    public void An_absolute_ttl_counts_down_to_its_time()
    {
        Assert.Equal(TimeSpan.FromSeconds(45), Policy().For(Record(Value(1, NowSeconds + 45, TtlType.Absolute))));
        Assert.Equal(TimeSpan.FromSeconds(3600), Policy().For(Record(Value(1, NowSeconds + 100_000, TtlType.Absolute))));
        Assert.Equal(TimeSpan.Zero, Policy().For(Record(Value(1, NowSeconds, TtlType.Absolute))));
        Assert.Equal(TimeSpan.Zero, Policy().For(Record(Value(1, NowSeconds - 1, TtlType.Absolute), Value(2, 300))));
    }

    [Fact]
    public void A_zero_or_negative_ttl_is_not_cached()
    {
        Assert.Equal(TimeSpan.Zero, Policy().For(Record(Value(1, 0))));
        Assert.Equal(TimeSpan.Zero, Policy().For(Record(Value(1, -10))));
    }
}
