using System.Text;
using IdResolution.Caching.Redis.Tests.Infrastructure;

namespace IdResolution.Caching.Redis.Tests;

/// <summary>The shared single-server fixture against the real redis-server it runs.</summary>
public sealed class SharedServerFixtureTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private RedisServer Server => fixture.Server;

    public async ValueTask InitializeAsync() => await fixture.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task The_server_answers_ping_on_its_loopback_endpoint()
    {
        Assert.Equal("PONG", await Server.CommandAsync("PING"));
        Assert.Equal($"127.0.0.1:{Server.Port}", Server.EndPoint);
        Assert.True(Server.IsRunning);
    }

    [Fact]
    public async Task The_server_binds_loopback_only_persists_nothing_and_lives_in_its_own_directory()
    {
        Assert.Equal("bind\n127.0.0.1", await Server.CommandAsync("CONFIG", "GET", "bind"));
        Assert.Equal("save\n", await Server.CommandAsync("CONFIG", "GET", "save"));
        Assert.Equal("appendonly\nno", await Server.CommandAsync("CONFIG", "GET", "appendonly"));
        Assert.StartsWith(RedisServer.DirectoryPrefix, Server.DataDirectory, StringComparison.Ordinal);
        Assert.Equal("dir\n" + Server.DataDirectory, await Server.CommandAsync("CONFIG", "GET", "dir"));
    }

    [Fact]
    public async Task Values_come_back_as_the_bytes_stored_with_their_time_to_live()
    {
        await Server.CommandAsync("SET", "with-ttl", "héllo", "PX", "60000");
        await Server.CommandAsync("SET", "forever", "x");

        Assert.Equal(Encoding.UTF8.GetBytes("héllo"), await Server.GetBytesAsync("with-ttl"));
        Assert.Null(await Server.GetBytesAsync("missing"));
        Assert.InRange(await Server.PttlAsync("with-ttl"), 1, 60000);
        Assert.Equal(-1, await Server.PttlAsync("forever"));
        Assert.Equal(-2, await Server.PttlAsync("missing"));
        Assert.Equal(2, await Server.DbSizeAsync());
    }

    [Fact]
    public async Task Commandstats_count_each_command_until_reset()
    {
        Assert.Equal(0, await Server.GetCommandCallsAsync("get"));

        await Server.CommandAsync("SET", "counted", "1");
        for (var i = 0; i < 3; i++)
        {
            await Server.GetBytesAsync("counted");
        }

        await Server.GetBytesAsync("absent");
        Assert.Equal(4, await Server.GetCommandCallsAsync("get"));
        Assert.Equal(4, await Server.GetCommandCallsAsync("GET"));
        Assert.Equal(1, await Server.GetCommandCallsAsync("set"));

        await Server.ResetStatsAsync();
        Assert.Equal(0, await Server.GetCommandCallsAsync("get"));
    }

    [Fact]
    public async Task Error_replies_throw_with_the_servers_message()
    {
        var error = await Assert.ThrowsAsync<RedisErrorReplyException>(() => Server.CommandAsync("NOSUCHCOMMAND"));
        Assert.StartsWith("ERR unknown command", error.Message, StringComparison.Ordinal);
    }
}
