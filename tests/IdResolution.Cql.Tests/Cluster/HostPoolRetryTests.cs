using IdResolution.Cql.Cluster;
using IdResolution.Cql.Connections;
using IdResolution.Cql.Tests.Server;
using Microsoft.Extensions.Logging;

namespace IdResolution.Cql.Tests.Cluster;

/// <summary>The reconnection loop of one pool, on a node whose every handshake fails.</summary>
public sealed class HostPoolRetryTests
{
    private const int ReconnectFailed = 502;

    [Fact]
    public async Task An_attempt_whose_reporting_throws_does_not_end_reconnection()
    {
        await using var server = new LoopbackCqlServer { HandshakeFault = HandshakeFault.AcceptThenClose };
        var logger = new ThrowingOnceLogger(ReconnectFailed);
        var settings = new HostPoolSettings(
            1,
            new ReconnectBackoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50)),
            TimeSpan.FromMinutes(5),
            TimeProvider.System,
            logger,
            new CqlMetrics(null, () => []));
        var pool = new HostPool(server.EndPoint, new CqlConnectionOptions(), settings, _ => { });
        try
        {
            await pool.WarmUpAsync(TestContext.Current.CancellationToken);
            await Eventually.UntilAsync(() => logger.Thrown, "an attempt's report threw");
            var afterThrow = server.ConnectionCount;

            await Eventually.UntilAsync(() => server.ConnectionCount >= afterThrow + 3, "attempts go on after the report threw");

            Assert.False(pool.IsUp);
        }
        finally
        {
            await pool.DisposeAsync();
        }
    }

    /// <summary>Throws the first time the given event is logged, as a faulty logging provider would.</summary>
    private sealed class ThrowingOnceLogger(int throwOn) : ILogger
    {
        private int _thrown;

        public bool Thrown => Volatile.Read(ref _thrown) == 1;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == throwOn && Interlocked.Exchange(ref _thrown, 1) == 0)
            {
                throw new InvalidOperationException("The logging provider failed.");
            }
        }
    }
}
