using IdResolution.Cql.Routing;
using static IdResolution.Cql.Tests.Routing.RingFixtures;

namespace IdResolution.Cql.Tests.Routing;

public sealed class NetworkTopologyStrategyRingTests
{
    // dc1: A (r1), B (r1), C (r2)  -> 3 hosts, 2 racks
    // dc2: D (r1), E (r2)          -> 2 hosts, 2 racks
    // Sorted ring: 10 A | 20 D | 30 B | 40 E | 50 C | 60 A
    private static readonly TokenRing Ring = new(
    [
        (Host("A", "dc1", "r1"), ["10", "60"]),
        (Host("B", "dc1", "r1"), ["30"]),
        (Host("C", "dc1", "r2"), ["50"]),
        (Host("D", "dc2", "r1"), ["20"]),
        (Host("E", "dc2", "r2"), ["40"]),
    ]);

    private static NetworkTopologyStrategy Nts(params (string Dc, int Rf)[] factors) =>
        new(factors.ToDictionary(f => f.Dc, f => f.Rf));

    [Fact]
    public void A_rack_already_used_is_passed_over_while_new_racks_remain()
    {
        // dc1 rf 2 over 2 racks: no rack repeats allowed. dc2 rf 1.
        // From 5: 10 A (dc1 r1, taken), 20 D (dc2 r1, taken; dc2 full), 30 B (dc1 r1 again: passed over),
        // 40 E (dc2 full), 50 C (dc1 r2, taken; dc1 full). SimpleStrategy(3) would give A D B.
        Assert.Equal("ADC", Names(Ring.GetReplicas(5, Nts(("dc1", 2), ("dc2", 1)))));
        Assert.Equal("ADB", Names(Ring.GetReplicas(5, new SimpleStrategy(3))));
    }

    [Fact]
    public void The_walk_starts_at_the_owner_and_wraps()
    {
        // From 25: 30 B (dc1 r1), 40 E (dc2 r2; dc2 full), 50 C (dc1 r2; dc1 full).
        Assert.Equal("BEC", Names(Ring.GetReplicas(25, Nts(("dc1", 2), ("dc2", 1)))));

        // From 55: 60 A (dc1 r1), wrap to 10 A (already taken), 20 D (dc2; full), 30 B (dc1 r1: passed
        // over), 40 E (dc2 full), 50 C (dc1 r2; full).
        Assert.Equal("ADC", Names(Ring.GetReplicas(55, Nts(("dc1", 2), ("dc2", 1)))));
    }

    [Fact]
    public void More_replicas_than_racks_spend_rack_repeats_on_the_first_repeats_met()
    {
        // dc1 rf 3 over 2 racks: one repeat allowed. dc2 rf 2 over 2 racks: none.
        // From 5: A (dc1 r1), D (dc2 r1), B (dc1 r1: the one repeat), E (dc2 r2; full), C (dc1 r2; full).
        Assert.Equal("ADBEC", Names(Ring.GetReplicas(5, Nts(("dc1", 3), ("dc2", 2)))));
    }

    [Fact]
    public void A_repeat_beyond_the_allowance_waits_for_a_new_rack()
    {
        // dc1: A, B, F on r1 and C on r2; rf 3 over 2 racks allows one repeat.
        // Ring: 10 A | 20 B | 30 F | 40 C. From 0: A (r1), B (r1, the repeat), F (r1, no repeats left:
        // passed over), C (r2). The older skip-then-fill algorithm picks the same set {A, B, C}.
        var ring = new TokenRing(
        [
            (Host("A", "dc1", "r1"), ["10"]),
            (Host("B", "dc1", "r1"), ["20"]),
            (Host("F", "dc1", "r1"), ["30"]),
            (Host("C", "dc1", "r2"), ["40"]),
        ]);

        Assert.Equal("ABC", Names(ring.GetReplicas(0, Nts(("dc1", 3)))));
    }

    [Fact]
    public void A_single_rack_data_centre_fills_in_ring_order()
    {
        // Every dc1 host on r1: rf 2 over 1 rack allows one repeat, so rack awareness changes nothing.
        var ring = new TokenRing(
        [
            (Host("A", "dc1", "r1"), ["10"]),
            (Host("B", "dc1", "r1"), ["20"]),
            (Host("C", "dc1", "r1"), ["30"]),
        ]);

        // From 15: 20 B, 30 C.
        Assert.Equal("BC", Names(ring.GetReplicas(15, Nts(("dc1", 2)))));
    }

    [Fact]
    public void A_factor_above_a_data_centres_hosts_is_capped_at_them()
    {
        // dc2 has D and E only; rf 5 gives both. From 35: 40 E, 50 C (dc1 not asked), 60 A, 10 A, 20 D.
        Assert.Equal("ED", Names(Ring.GetReplicas(35, Nts(("dc2", 5)))));
    }

    [Fact]
    public void A_capped_factor_still_takes_every_host_of_a_data_centre_with_repeated_racks()
    {
        // dc1 rf 5 is capped at its 3 hosts; 5 - 2 racks = 3 repeats allowed, one needed.
        // From 5: 10 A (r1), 30 B (r1, a repeat), 50 C (r2).
        Assert.Equal("ABC", Names(Ring.GetReplicas(5, Nts(("dc1", 5)))));
    }

    [Fact]
    public void Data_centres_without_hosts_or_replicas_are_ignored()
    {
        // dc3 is not on the ring and dc1 asks for none: only dc2's one replica. From 5: 20 D.
        Assert.Equal("D", Names(Ring.GetReplicas(5, Nts(("dc1", 0), ("dc2", 1), ("dc3", 3)))));
    }

    [Fact]
    public void Strategies_with_the_same_factors_are_equal()
    {
        Assert.Equal(Nts(("dc1", 3), ("dc2", 2)), Nts(("dc2", 2), ("dc1", 3)));
        Assert.NotEqual(Nts(("dc1", 3)), Nts(("dc1", 2)));
    }
}
