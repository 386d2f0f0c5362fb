using IdResolution.Cql.Cluster;
using IdResolution.Cql.Connections;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Protocol.Requests;
using IdResolution.Cql.Tests.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdResolution.Cql.Tests.Cluster;

/// <summary>One pool on a node whose every handshake fails: its reconnection loop, and what requests get meanwhile.</summary>
public sealed class HostPoolRetryTests
{
    private const int ReconnectFailed = 502;

    [Fact]
    public async Task An_attempt_whose_reporting_throws_does_not_end_reconnection()
    {
        await using var server = new LoopbackCqlServer { HandshakeFault = HandshakeFault.AcceptThenClose };
        var logger = new ThrowingOnceLogger(ReconnectFailed);
        var pool = Pool(server, TimeSpan.FromMilliseconds(10), logger);
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

    [Fact]
    public async Task A_request_to_a_node_with_no_open_connection_is_refused_as_not_sent()
    {
        await using var server = new LoopbackCqlServer { HandshakeFault = HandshakeFault.AcceptThenClose };

        // A back-off far longer than the test: the request finds no connection and no attempt due.
        var pool = Pool(server, TimeSpan.FromHours(1), NullLogger.Instance);
        try
        {
            await pool.WarmUpAsync(TestContext.Current.CancellationToken);
            var accepted = server.ConnectionCount;

            var refused = await Assert.ThrowsAsync<CqlConnectionException>(() =>
                pool.SendAsync(new QueryRequest("SELECT now() FROM system.local", new CqlQueryParameters(CqlConsistency.One)), TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));

            Assert.True(refused.NotSent);
            Assert.Equal(server.EndPoint, refused.Host);
            Assert.Equal(accepted, server.ConnectionCount);
            Assert.DoesNotContain(server.Received, request => request.Opcode == CqlOpcode.Query);
        }
        finally
        {
            await pool.DisposeAsync();
        }
    }

    private static HostPool Pool(LoopbackCqlServer server, TimeSpan backoff, ILogger logger) => new(
        server.EndPoint,
        new CqlConnectionOptions(),
        new HostPoolSettings(1, new ReconnectBackoff(backoff, backoff * 5), TimeSpan.FromMinutes(5), TimeProvider.System, logger, new CqlMetrics(null, () => [])),
        _ => { });

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
