using IdResolution.Cql.Routing;
using static IdResolution.Cql.Tests.Routing.RingFixtures;

namespace IdResolution.Cql.Tests.Routing;

public sealed class SimpleStrategyRingTests
{
    // Three hosts with two tokens each. Sorted ring:
    //   -100 A | -50 B | 0 C | 200 A | 300 B | 400 C
    // A token's owner holds the first ring token at or after it; replicas continue clockwise, skipping
    // hosts already taken, and wrap from 400 to -100.
    private static readonly TokenRing Ring = new(
    [
        (Host("A"), ["-100", "200"]),
        (Host("B"), ["-50", "300"]),
        (Host("C"), ["0", "400"]),
    ]);

    [Theory]
    [InlineData(0L, 2, "CA")] // exactly on C's token 0: C owns (-50, 0]; next is 200 A.
    [InlineData(1L, 2, "AB")] // first token ≥ 1 is 200 A, then 300 B.
    [InlineData(-100L, 2, "AB")] // A's own token, then -50 B.
    [InlineData(401L, 2, "AB")] // past 400 wraps to -100 A, then -50 B.
    [InlineData(long.MinValue, 2, "AB")] // the very start wraps nothing: -100 A, then -50 B.
    [InlineData(250L, 3, "BCA")] // 300 B, 400 C, wrap to -100 A.
    [InlineData(350L, 1, "C")] // 400 C alone.
    [InlineData(-60L, 3, "BCA")] // -50 B, 0 C, 200 A.
    [InlineData(150L, 2, "AB")] // 200 A, 300 B.
    public void Replicas_walk_clockwise_from_the_owner(long token, int rf, string expected)
    {
        Assert.Equal(expected, Names(Ring.GetReplicas(token, new SimpleStrategy(rf))));
    }

    [Fact]
    public void A_second_token_of_a_host_already_taken_is_skipped()
    {
        // From 200: A, then 300 B; with rf 3, 400 C; a fourth would be A again (at -100) and is not taken.
        Assert.Equal("ABC", Names(Ring.GetReplicas(200, new SimpleStrategy(4))));
    }

    [Fact]
    public void A_factor_above_the_host_count_gives_every_host_once()
    {
        Assert.Equal("CAB", Names(Ring.GetReplicas(-10, new SimpleStrategy(5))));
    }

    [Fact]
    public void An_empty_ring_has_no_replicas()
    {
        var empty = new TokenRing([(Host("A"), Array.Empty<string>())]);

        Assert.Empty(empty.GetReplicas(0, new SimpleStrategy(3)));
        Assert.Equal(0, empty.Count);
    }

    [Fact]
    public void A_token_that_is_not_a_signed_64_bit_integer_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new TokenRing([(Host("A"), ["9223372036854775808"])]));
        Assert.Throws<ArgumentException>(() => new TokenRing([(Host("A"), ["12a"])]));
    }

    [Fact]
    public void A_token_claimed_by_two_hosts_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new TokenRing([(Host("A"), ["5"]), (Host("B"), ["5"])]));
    }

    [Fact]
    public void The_extreme_tokens_parse()
    {
        var ring = new TokenRing([(Host("A"), ["-9223372036854775808"]), (Host("B"), ["9223372036854775807"])]);

        Assert.Equal("B", Names(ring.GetReplicas(0, new SimpleStrategy(1))));
        Assert.Equal("A", Names(ring.GetReplicas(long.MinValue, new SimpleStrategy(1))));
    }
}
