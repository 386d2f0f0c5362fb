using System.Diagnostics;
using System.Net.Sockets;
using IdResolution.Caching.Redis.Tests.Infrastructure;

namespace IdResolution.Caching.Redis.Tests;

/// <summary>Servers of a test's own, for what would disturb a shared one: kills, restarts, stalls.</summary>
public sealed class DedicatedServerTests
{
    [Fact]
    public async Task A_killed_server_restarts_on_the_same_port_without_its_data()
    {
        await using var server = await RedisServer.StartAsync();
        await server.CommandAsync("SET", "lost", "on-kill");
        var port = server.Port;
        var firstProcess = server.ProcessId;

        await server.KillAsync();
        Assert.False(server.IsRunning);
        await Assert.ThrowsAsync<SocketException>(() => server.CommandAsync("PING"));

        await server.RestartAsync();
        Assert.True(server.IsRunning);
        Assert.Equal(port, server.Port);
        Assert.NotEqual(firstProcess, server.ProcessId);
        Assert.Equal("PONG", await server.CommandAsync("PING"));
        Assert.Equal(0, await server.DbSizeAsync());
        Assert.Null(await server.GetBytesAsync("lost"));
    }

    [Fact]
    public async Task Debug_sleep_holds_back_a_command_from_another_client_until_it_ends()
    {
        await using var server = await RedisServer.StartAsync();
        var sleep = TimeSpan.FromMilliseconds(300);
        var clock = Stopwatch.StartNew();

        var sleepEnded = await server.StartDebugSleepAsync(sleep);
        var pong = await server.CommandAsync("PING");
        var answeredAfter = clock.Elapsed;
        await sleepEnded;

        Assert.Equal("PONG", pong);
        // The clock started before the server began sleeping, so the PING cannot be answered sooner.
        Assert.True(answeredAfter >= sleep, $"PING was answered after {answeredAfter.TotalMilliseconds} ms, inside a {sleep.TotalMilliseconds} ms DEBUG SLEEP");
    }

    [Fact]
    public async Task Debug_sleep_awaited_whole_returns_once_the_server_answers_again()
    {
        await using var server = await RedisServer.StartAsync();
        var clock = Stopwatch.StartNew();

        await server.DebugSleepAsync(TimeSpan.FromMilliseconds(200));

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(200), $"returned after {clock.Elapsed.TotalMilliseconds} ms");
        Assert.Equal("PONG", await server.CommandAsync("PING"));
    }

    [Fact]
    public async Task Extra_arguments_reach_the_server()
    {
        await using var server = await RedisServer.StartAsync("--maxmemory", "1mb");

        Assert.Equal("maxmemory\n1048576", await server.CommandAsync("CONFIG", "GET", "maxmemory"));
    }

    [Fact]
    public async Task A_stopped_server_is_gone_and_disposing_removes_its_directory()
    {
        var server = await RedisServer.StartAsync();
        var processId = server.ProcessId;
        var directory = server.DataDirectory;
        Assert.True(Directory.Exists(directory));

        await server.StopAsync();
        Assert.False(server.IsRunning);
        Assert.False(Directory.Exists($"/proc/{processId}"));

        await server.DisposeAsync();
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task Disposing_a_running_server_kills_it()
    {
        var server = await RedisServer.StartAsync();
        var processId = server.ProcessId;

        await server.DisposeAsync();

        Assert.False(Directory.Exists($"/proc/{processId}"));
        Assert.False(Directory.Exists(server.DataDirectory));
    }
}
