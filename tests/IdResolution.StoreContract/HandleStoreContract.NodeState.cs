namespace IdResolution.StoreContract;

/// <summary>Cursors (durable, last writer wins) and leases (one owner at a time, for a while) of the node.</summary>
public abstract partial class HandleStoreContract
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task State_cursors_keep_their_last_value_across_reopening_each_on_its_own()
    {
        var store = await OpenAsync();
        Assert.Null(await store.ReadCursorAsync("filed", Ct));

        await store.WriteCursorAsync("filed", 7, Ct);
        await store.WriteCursorAsync("filed", 1_234_567_890_123, Ct);
        await store.WriteCursorAsync("escrowed", 3, Ct);
        await store.DisposeAsync();
        var reopened = await OpenAsync();

        Assert.Equal(1_234_567_890_123, await reopened.ReadCursorAsync("filed", Ct));
        Assert.Equal(3, await reopened.ReadCursorAsync("escrowed", Ct));
        Assert.Null(await reopened.ReadCursorAsync("other", Ct));
        await reopened.WriteCursorAsync("filed", 5, Ct);
        Assert.Equal(5, await reopened.ReadCursorAsync("filed", Ct));
    }

    [Fact]
    public async Task State_a_lease_is_held_by_one_owner_who_may_renew_it_and_leases_of_other_names_are_apart()
    {
        var store = await OpenAsync();

        Assert.True(await store.TryAcquireLeaseAsync("filing", "instance-a", Long, Ct));
        Assert.False(await store.TryAcquireLeaseAsync("filing", "instance-b", Long, Ct));
        Assert.True(await store.TryAcquireLeaseAsync("filing", "instance-a", Long, Ct));
        Assert.False(await store.TryAcquireLeaseAsync("filing", "instance-b", Long, Ct));
        Assert.True(await store.TryAcquireLeaseAsync("escrow", "instance-b", Long, Ct));
        Assert.False(await store.TryAcquireLeaseAsync("escrow", "instance-a", Long, Ct));
    }

    [Fact]
    public async Task State_a_released_lease_is_free_at_once_and_only_its_holder_can_release_it()
    {
        var store = await OpenAsync();
        Assert.True(await store.TryAcquireLeaseAsync("filing", "instance-a", Long, Ct));

        await store.ReleaseLeaseAsync("filing", "instance-b", Ct);
        Assert.False(await store.TryAcquireLeaseAsync("filing", "instance-b", Long, Ct));

        await store.ReleaseLeaseAsync("filing", "instance-a", Ct);
        Assert.True(await store.TryAcquireLeaseAsync("filing", "instance-b", Long, Ct));
        Assert.False(await store.TryAcquireLeaseAsync("filing", "instance-a", Long, Ct));
    }

    [Fact]
    public async Task State_a_lease_its_holder_stops_renewing_expires_after_its_duration()
    {
        var store = await OpenAsync();
        Assert.True(await store.TryAcquireLeaseAsync("filing", "instance-a", TimeSpan.FromSeconds(1), Ct));

        await PassTimeAsync(TimeSpan.FromSeconds(2));
        await UntilAsync(async () => await store.TryAcquireLeaseAsync("filing", "instance-b", Long, Ct), "the lease of instance-a has expired");

        Assert.False(await store.TryAcquireLeaseAsync("filing", "instance-a", Long, Ct));
    }

    [Fact]
    public async Task State_a_renewed_lease_lasts_for_the_new_duration()
    {
        var store = await OpenAsync();
        Assert.True(await store.TryAcquireLeaseAsync("filing", "instance-a", TimeSpan.FromSeconds(1), Ct));
        Assert.True(await store.TryAcquireLeaseAsync("filing", "instance-a", Long, Ct));

        await PassTimeAsync(TimeSpan.FromSeconds(2));

        Assert.False(await store.TryAcquireLeaseAsync("filing", "instance-b", Long, Ct));
    }
}
