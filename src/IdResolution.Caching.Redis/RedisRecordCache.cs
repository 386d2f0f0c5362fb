using System.Diagnostics;
using System.Diagnostics.Metrics;
using IdResolution.Core.Caching;
using IdResolution.Core.Records;
using IdResolution.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;

namespace IdResolution.Caching.Redis;

/// <summary>
/// The shared cache tier on Redis (one server or a cluster). Every call is single-key, so cluster
/// mode needs nothing special; each goes through one Polly pipeline: a circuit breaker around a
/// short timeout, and no retry, because a cache miss costs one store read while retries against a
/// struggling Redis multiply its load. Failures become misses and no-ops. Writes leave an
/// invalidation marker in Redis and announce the keys on a pub/sub channel; the announcements are
/// at-most-once, which is why in-process entries are capped short and dropped on reconnection.
/// </summary>
public sealed class RedisRecordCache : ISharedRecordCache, IAsyncDisposable
{
    private const int PendingBatch = 1000;
    private static readonly ResiliencePropertyKey<TimeSpan> TimeoutKey = new("idres.redis.timeout");

    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly Action<RedisChannel, RedisValue> _onMessage;
    private readonly RedisCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _hold;
    private readonly CircuitBreakerStateProvider _breaker = new();
    private readonly ResiliencePipeline _pipeline;
    private readonly PendingInvalidations _pending;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _maintenance;
    private volatile Action<string?>? _onInvalidated;
    private volatile bool _subscribed;
    private long _skipUntil;

    private RedisRecordCache(ConnectionMultiplexer redis, RedisCacheOptions options, NodeMetrics metrics, IMeterFactory? meters, TimeProvider time, ILogger logger)
    {
        _redis = redis;
        _db = redis.GetDatabase();
        _subscriber = redis.GetSubscriber();
        _options = options;
        _time = time;
        _logger = logger;
        _channel = RedisChannel.Literal(options.Channel);
        _onMessage = OnMessage;
        _timeout = TimeSpan.FromMilliseconds(Math.Max(1, options.TimeoutMilliseconds));
        _hold = TimeSpan.FromMilliseconds(Math.Max(2, options.InvalidationHoldMilliseconds));
        _pending = new PendingInvalidations(Math.Max(1, options.PendingInvalidationLimit));
        Metrics = new RedisCacheMetrics(metrics, meters, () => _breaker.CircuitState, () => _pending.Count);
        _pipeline = BuildPipeline();
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
        TrySubscribe();
        _maintenance = MaintainAsync();
    }

    public TimeSpan FillWindow => _hold / 2;

    /// <summary>The circuit's state: closed while Redis answers, open while it is skipped.</summary>
    public CircuitState Circuit => _breaker.CircuitState;

    /// <summary>Whether the client holds a connection to Redis (the circuit only learns of a loss from failed calls).</summary>
    public bool IsConnected => _redis.IsConnected;

    internal RedisCacheMetrics Metrics { get; }

    /// <summary>
    /// One PING, past the circuit breaker, for the node's dependency probe: it must see Redis as it is,
    /// also while the breaker skips it and while no request uses it. Throws when Redis does not answer.
    /// </summary>
    public async Task<TimeSpan> PingAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _db.PingAsync().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);

    internal int PendingInvalidationCount => _pending.Count;

    /// <summary>
    /// Connects without waiting for Redis to be up: the node must start, and resolve from the store,
    /// while its cache is down; the client keeps reconnecting in the background.
    /// </summary>
    public static RedisRecordCache Connect(RedisCacheOptions options, NodeMetrics metrics, IMeterFactory? meters, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        if (!options.IsEnabled)
        {
            throw new ArgumentException("Redis:Configuration is empty.", nameof(options));
        }

        var configuration = ConfigurationOptions.Parse(options.Configuration!);
        configuration.AbortOnConnectFail = false;

        // Queueing commands while disconnected would turn an outage into a pile of late answers.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= "idres";
        var redis = ConnectionMultiplexer.Connect(configuration);
        RedisCacheLog.Configured(logger, string.Join(',', configuration.EndPoints), options.TimeoutMilliseconds);
        return new RedisRecordCache(redis, options, metrics, meters, time, logger);
    }

    public async ValueTask<CacheLookup> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (Skipping("get"))
        {
            Metrics.Miss();
            return CacheLookup.Miss;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var lease = await _pipeline.ExecuteAsync(
                static async (state, token) => await Within(state.Db.StringGetLeaseAsync(state.Key), token),
                (Db: _db, Key: RedisKeyOf(key)),
                cancellationToken);
            Metrics.Completed("get", Stopwatch.GetElapsedTime(started));
            var damaged = false;
            var lookup = lease is null ? CacheLookup.Miss : RedisEntryFormat.Decode(lease.Span, _time.GetUtcNow(), out damaged);
            if (damaged)
            {
                // Another node version's format, or damage: a miss, and the store answer replaces it when it expires.
                Metrics.Failed("get", "format");
            }

            if (lookup.Hit)
            {
                Metrics.Hit();
            }
            else
            {
                Metrics.Miss();
            }

            return lookup;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            Failed("get", exception);
            Metrics.Miss();
            return CacheLookup.Miss;
        }
    }

    /// <summary>
    /// Every GET is issued before any is awaited, so the client writes them to each node's connection
    /// back to back (one pipeline per node in a cluster) and the batch waits about one round trip.
    /// Each keeps its own timeout and breaker accounting, as single lookups do.
    /// </summary>
    public async ValueTask<CacheLookup[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var lookups = new Task<CacheLookup>[keys.Count];
        for (var i = 0; i < lookups.Length; i++)
        {
            lookups[i] = GetAsync(keys[i], cancellationToken).AsTask();
        }

        return await Task.WhenAll(lookups).ConfigureAwait(false);
    }

    public async ValueTask AddAsync(string key, HandleRecord? record, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (ttl <= TimeSpan.Zero || Skipping("add"))
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            // NX: never over an answer another instance added, nor over a write's invalidation marker.
            var entry = RedisEntryFormat.Encode(record, _time.GetUtcNow() + ttl);
            await _pipeline.ExecuteAsync(
                static async (state, token) => await Within(state.Db.StringSetAsync(state.Key, state.Entry, state.Ttl, When.NotExists), token),
                (Db: _db, Key: RedisKeyOf(key), Entry: entry, Ttl: ttl),
                cancellationToken);
            Metrics.Completed("add", Stopwatch.GetElapsedTime(started));
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            Failed("add", exception);
        }
    }

    public async ValueTask InvalidateAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return;
        }

        if (Skipping("invalidate") || !await TrySendAsync(keys))
        {
            Remember(keys);
        }
    }

    public IDisposable Subscribe(Action<string?> onInvalidated)
    {
        _onInvalidated = onInvalidated;
        return new Subscription(this, onInvalidated);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _maintenance.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _redis.ConnectionFailed -= OnConnectionFailed;
        _redis.ConnectionRestored -= OnConnectionRestored;
        await _redis.CloseAsync(allowCommandsToComplete: false);
        await _redis.DisposeAsync();
        Metrics.Dispose();
        _stopping.Dispose();
    }

    private static bool IsRedisFailure(Exception exception) =>
        exception is RedisException or TimeoutException or ExecutionRejectedException or ObjectDisposedException;

    // Polly's timeout cancels the token, but StackExchange.Redis takes none: stop waiting for the
    // call and let it finish (or time out) on its own, observing any late fault.
    private static async Task<T> Within<T>(Task<T> call, CancellationToken token)
    {
        await Within((Task)call, token);
        return call.Result;
    }

    private static async Task Within(Task call, CancellationToken token)
    {
        try
        {
            await call.WaitAsync(token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _ = call.ContinueWith(static abandoned => abandoned.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    private RedisKey RedisKeyOf(string key) => (RedisKey)(_options.KeyPrefix + key);

    private ResiliencePipeline BuildPipeline() => new ResiliencePipelineBuilder()
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = Math.Clamp(_options.BreakerFailureRatio, 0.01, 1.0),
            MinimumThroughput = Math.Max(2, _options.BreakerMinimumThroughput),
            SamplingDuration = TimeSpan.FromMilliseconds(Math.Max(500, _options.BreakerSamplingMilliseconds)),
            BreakDuration = TimeSpan.FromMilliseconds(Math.Max(500, _options.BreakerBreakMilliseconds)),
            StateProvider = _breaker,
            OnOpened = args =>
            {
                Volatile.Write(ref _skipUntil, Stopwatch.GetTimestamp() + (long)(args.BreakDuration.TotalSeconds * Stopwatch.Frequency));
                RedisCacheLog.CircuitOpened(_logger, _options.BreakerBreakMilliseconds);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                Volatile.Write(ref _skipUntil, 0);
                RedisCacheLog.CircuitClosed(_logger);
                return ValueTask.CompletedTask;
            },
        })
        .AddTimeout(new TimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(args.Context.Properties.GetValue(TimeoutKey, _timeout)),
        })
        .Build();

    /// <summary>
    /// While the circuit is open, calls are not even offered to the pipeline (its refusal is an
    /// exception, costly at resolution rates). Once the break is over they are, and the breaker
    /// lets one through as its probe.
    /// </summary>
    private bool IsBreaking => Stopwatch.GetTimestamp() < Volatile.Read(ref _skipUntil);

    private bool Skipping(string operation)
    {
        if (IsBreaking)
        {
            Metrics.Failed(operation, "open");
            return true;
        }

        return false;
    }

    private void Failed(string operation, Exception exception) => Metrics.Failed(operation, exception switch
    {
        BrokenCircuitException => "open",
        TimeoutRejectedException or TimeoutException => "timeout",
        RedisConnectionException => "unavailable",
        _ => "error",
    });

    private void Remember(IEnumerable<string> keys)
    {
        if (!_pending.Add(keys))
        {
            RedisCacheLog.PendingOverflow(_logger, _options.PendingInvalidationLimit);
        }
    }

    /// <summary>
    /// Marks the keys, then announces them. The announcement goes out only once every marker is in
    /// place: in a cluster they live on other servers, and an instance that drops its copy on the
    /// announcement must not find the old record still in Redis.
    /// </summary>
    private async Task<bool> TrySendAsync(IReadOnlyList<string> keys)
    {
        var started = Stopwatch.GetTimestamp();
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);

        // A batch gets time in proportion to its size; the calls are pipelined, not sequential.
        context.Properties.Set(TimeoutKey, _timeout * (2 + (keys.Count / 100)));
        try
        {
            await _pipeline.ExecuteAsync(
                static async (context, state) =>
                {
                    var (self, keys) = state;
                    var marks = new Task[keys.Count];
                    for (var i = 0; i < keys.Count; i++)
                    {
                        marks[i] = self._db.StringSetAsync(self.RedisKeyOf(keys[i]), RedisEntryFormat.Invalidated, self._hold);
                    }

                    await Within(Task.WhenAll(marks), context.CancellationToken);
                    await Within(self._subscriber.PublishAsync(self._channel, self._instance + "\n" + string.Join('\n', keys)), context.CancellationToken);
                },
                context,
                (Self: this, Keys: keys));
            Metrics.Completed("invalidate", Stopwatch.GetElapsedTime(started));
            Metrics.Sent(keys.Count);
            return true;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            Failed("invalidate", exception);
            return false;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        var text = (string?)message;
        var header = text?.IndexOf('\n', StringComparison.Ordinal) ?? -1;
        if (text is null || header < 0 || text.AsSpan(0, header).SequenceEqual(_instance))
        {
            return;
        }

        var handler = _onInvalidated;
        var count = 0;
        var keys = text.AsSpan(header + 1);
        foreach (var range in keys.Split('\n'))
        {
            handler?.Invoke(keys[range].ToString());
            count++;
        }

        Metrics.Received(count);
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) =>
        RedisCacheLog.ConnectionLost(_logger, e.ConnectionType.ToString(), e.EndPoint?.ToString(), e.FailureType.ToString());

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        RedisCacheLog.ConnectionRestored(_logger, e.ConnectionType.ToString(), e.EndPoint?.ToString());

        // Announcements sent while this instance was cut off are lost for good.
        _onInvalidated?.Invoke(null);
    }

    private void TrySubscribe()
    {
        try
        {
            _subscriber.Subscribe(_channel, _onMessage);
            _subscribed = true;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            RedisCacheLog.SubscribeFailed(_logger, _options.Channel, exception);

            // Forget the half-made subscription, so that the retry does not register the handler twice.
            try
            {
                _subscriber.Unsubscribe(_channel, _onMessage, CommandFlags.FireAndForget);
            }
            catch (Exception unsubscribing) when (IsRedisFailure(unsubscribing))
            {
                RedisCacheLog.SubscribeFailed(_logger, _options.Channel, unsubscribing);
            }
        }
    }

    /// <summary>Subscribes once Redis is reachable, and sends what waited for it.</summary>
    private async Task MaintainAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), _time);
        while (await timer.WaitForNextTickAsync(_stopping.Token))
        {
            if (!_subscribed && _redis.IsConnected)
            {
                TrySubscribe();
                _onInvalidated?.Invoke(null);
            }

            if (_pending.Count == 0 || !_redis.IsConnected || IsBreaking)
            {
                continue;
            }

            var batch = _pending.Take(PendingBatch);
            if (await TrySendAsync(batch))
            {
                RedisCacheLog.PendingSent(_logger, batch.Count);
            }
            else
            {
                Remember(batch);
            }
        }
    }

    private sealed class Subscription(RedisRecordCache cache, Action<string?> handler) : IDisposable
    {
        public void Dispose()
        {
            if (cache._onInvalidated == handler)
            {
                cache._onInvalidated = null;
            }
        }
    }
}
