namespace IdResolution.Caching.Redis.Tests.Infrastructure;

/// <summary>
/// One redis-server shared by the tests of one class, through <c>IClassFixture&lt;RedisServerFixture&gt;</c>:
/// xunit runs a class's tests one after another, so each may start with <see cref="ResetAsync"/>;
/// classes run in parallel, each with a server of its own. A test that kills or restarts redis uses
/// a dedicated <see cref="RedisServer.StartAsync(string[])"/> instead.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("the fixture is not initialized");

    public async ValueTask InitializeAsync() => _server = await RedisServer.StartAsync();

    /// <summary>FLUSHALL and CONFIG RESETSTAT: no keys, command counters at zero.</summary>
    public async Task ResetAsync()
    {
        await Server.FlushAllAsync();
        await Server.ResetStatsAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
