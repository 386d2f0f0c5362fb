using IdResolution.Core.Registration;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Registration;

public sealed class ListingTests : IDisposable
{
    private readonly Node _node = new(registry: new RegistryOptions { DefaultPageSize = 2, MaxPageSize = 3 });

    public void Dispose() => _node.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task SeedAsync()
    {
        foreach (var handle in new[] { "88.1/e", "88.1/a", "88.1/D", "88.1/b", "88.1/c", "88.10/x", "88.2/a" })
        {
            Assert.True((await _node.CreateAsync(handle, Values.Url(1, "https://" + handle))).IsSuccess);
        }
    }

    [Fact]
    public async Task Pages_walk_a_prefix_in_key_order_and_nothing_else()
    {
        await SeedAsync();
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var outcome = await _node.Registrar.ListAsync(TestCallers.Administrator, "88.1", 0, token, Ct);
            Assert.True(outcome.IsSuccess, outcome.Message);
            Assert.Equal("88.1", outcome.Value.Prefix);
            Assert.True(outcome.Value.Handles.Count <= 2);
            seen.AddRange(outcome.Value.Handles);
            token = outcome.Value.NextPageToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(["88.1/a", "88.1/b", "88.1/c", "88.1/D", "88.1/e"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task The_page_size_is_capped_and_a_prefix_handle_names_its_prefix()
    {
        await SeedAsync();

        var outcome = await _node.Registrar.ListAsync(TestCallers.Administrator, "0.NA/88.1", 1000, null, Ct);

        Assert.True(outcome.IsSuccess);
        Assert.Equal(3, outcome.Value.Handles.Count);
        Assert.NotNull(outcome.Value.NextPageToken);
    }

    [Theory]
    [InlineData("not base64 !")]
    [InlineData("x")]
    [InlineData("ODguMQ")]
    public async Task A_page_token_not_handed_out_for_this_prefix_is_a_protocol_error(string token)
    {
        await SeedAsync();

        var outcome = await _node.Registrar.ListAsync(TestCallers.Administrator, "88.1", 2, token, Ct);

        Assert.Equal(HandleResponseCode.ProtocolError, outcome.Code);
    }

    [Fact]
    public async Task A_token_from_another_prefix_is_a_protocol_error()
    {
        await SeedAsync();
        var other = await _node.Registrar.ListAsync(TestCallers.Administrator, "88.2", 0, null, Ct);
        Assert.True(other.IsSuccess);

        var outcome = await _node.Registrar.ListAsync(TestCallers.Administrator, "88.1", 2, PageToken.Encode("88.2/A"), Ct);

        Assert.Equal(HandleResponseCode.ProtocolError, outcome.Code);
    }

    [Fact]
    public async Task The_count_of_a_prefix_is_its_number_of_handles_and_needs_the_listing_permission()
    {
        await SeedAsync();
        Assert.True((await _node.Registrar.DeleteAsync(TestCallers.Administrator, "88.1/c", Ct)).IsSuccess);

        Assert.Equal(4, (await _node.Registrar.CountAsync(TestCallers.Administrator, "88.1", Ct)).Value);
        Assert.Equal(4, (await _node.Registrar.CountAsync(TestCallers.Administrator, "0.NA/88.1", Ct)).Value);
        Assert.Equal(0, (await _node.Registrar.CountAsync(TestCallers.Administrator, "88.3", Ct)).Value);
        Assert.Equal(HandleResponseCode.InvalidHandle, (await _node.Registrar.CountAsync(TestCallers.Administrator, "88..1", Ct)).Code);
        Assert.Equal(HandleResponseCode.AuthenticationNeeded, (await _node.Registrar.CountAsync(Core.Security.Caller.Anonymous("127.0.0.1"), "88.1", Ct)).Code);
    }

    [Fact]
    public async Task A_bad_prefix_or_page_size_is_refused()
    {
        Assert.Equal(HandleResponseCode.InvalidHandle, (await _node.Registrar.ListAsync(TestCallers.Administrator, "88..1", 0, null, Ct)).Code);
        Assert.Equal(HandleResponseCode.InvalidHandle, (await _node.Registrar.ListAsync(TestCallers.Administrator, "88.1/x", 0, null, Ct)).Code);
        Assert.Equal(HandleResponseCode.ProtocolError, (await _node.Registrar.ListAsync(TestCallers.Administrator, "88.1", -1, null, Ct)).Code);
    }
}
