using System.Collections.Concurrent;
using IdResolution.Core.Federation;
using IdResolution.Federation.Telemetry;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Hedging;
using Polly.Registry;
using Polly.Retry;

namespace IdResolution.Federation.Resilience;

/// <summary>
/// The resilience of calls to each remote node, from a <see cref="ResiliencePipelineRegistry{TKey}"/>
/// keyed by the node's id, so that every node has its own circuit and its own cap on calls in flight and
/// one dead node never refuses calls to another. A call goes through, outermost first:
/// <list type="number">
/// <item>the node's concurrency cap (<c>MaxInFlightPerNode</c>; a call over it is refused at once, not queued);</item>
/// <item>the call's overall deadline, twice the attempt timeout;</item>
/// <item>bounded retries with jittered exponential back-off, for transient failures only;</item>
/// <item>the node's circuit breaker, shared by all its calls: it counts attempts on the node as a whole, so a
/// dead disaster-recovery site does not open it while the primary answers, nor the reverse;</item>
/// <item>for resolves and referral lookups only, Polly's hedging across the node's sites: the next site is
/// asked when the previous one failed or has not answered within the hedging delay, the first answer wins;
/// filings are never hedged (a retry moves to the next site instead);</item>
/// <item>each site's attempt timeout.</item>
/// </list>
/// </summary>
internal sealed class NodePipelines : IDisposable
{
    /// <summary>How many endpoints the node has, and which one an attempt is to call.</summary>
    public static readonly ResiliencePropertyKey<int> EndpointCount = new("idres.federation.endpoints");

    public static readonly ResiliencePropertyKey<int> EndpointIndex = new("idres.federation.endpoint");

    /// <summary>The method of the call, for the retry metric.</summary>
    public static readonly ResiliencePropertyKey<string> Method = new("idres.federation.method");

    private const int MaxHedgedAttempts = 4;

    private readonly ResiliencePipelineRegistry<string> _registry = new();
    private readonly ConcurrentDictionary<string, NodeState> _states = new(StringComparer.Ordinal);
    private readonly Lock _adding = new();
    private readonly Lock _building = new();
    private readonly PipelineSettings _settings;
    private readonly TimeProvider _time;
    private readonly LinkMetrics _metrics;
    private readonly NodeTags _tags;
    private readonly ILogger _logger;

    public NodePipelines(PipelineSettings settings, TimeProvider time, LinkMetrics metrics, NodeTags tags, ILogger logger)
    {
        _settings = settings;
        _time = time;
        _metrics = metrics;
        _tags = tags;
        _logger = logger;
    }

    public NodeState State(string nodeId)
    {
        if (_states.TryGetValue(nodeId, out var state))
        {
            return state;
        }

        // Not GetOrAdd: a losing factory would leave a limiter undisposed.
        lock (_adding)
        {
            return _states.TryGetValue(nodeId, out state) ? state : _states[nodeId] = new NodeState(nodeId, _tags.For(nodeId), _settings.MaxInFlightPerNode);
        }
    }

    public NodeState? Find(string nodeId) => _states.GetValueOrDefault(nodeId);

    public IEnumerable<NodeReading> Readings() => _states.Values.Select(state => new NodeReading(state.Tag, state.BreakerValue, state.InFlight));

    /// <summary>Resolves and referral lookups: retried and hedged across the node's sites.</summary>
    public ResiliencePipeline<RemoteAnswer> Answers(string nodeId) => _registry.GetOrAddPipeline<RemoteAnswer>(nodeId, (builder, context) =>
    {
        var state = State(context.PipelineKey);
        builder.TimeProvider = _time;
        builder.AddRateLimiter(state.Limiter).AddTimeout(_settings.TotalTimeout);
        if (_settings.MaxRetries > 0)
        {
            builder.AddRetry(Retry<RemoteAnswer>(state));
        }

        builder.AddPipeline(Circuit(context.PipelineKey));
        builder.AddHedging(new HedgingStrategyOptions<RemoteAnswer>
        {
            ShouldHandle = args => ValueTask.FromResult(RemoteFailures.IsOutage(args.Outcome.Exception, args.Context.CancellationToken)),
            MaxHedgedAttempts = MaxHedgedAttempts,
            Delay = _settings.HedgingDelay,
            ActionGenerator = NextSite,
            OnHedging = _ =>
            {
                _metrics.Hedged(state.Tag);
                return default;
            },
        });
        builder.AddTimeout(_settings.AttemptTimeout);
    });

    /// <summary>Filings: retried, each retry on the parent's next site; never two at once.</summary>
    public ResiliencePipeline<IReadOnlyList<FilingResult>> Filings(string nodeId) => Unhedged<IReadOnlyList<FilingResult>>(nodeId);

    /// <summary>Heartbeats: like filings, retried on the parent's next site and never hedged.</summary>
    public ResiliencePipeline<HeartbeatAck> Heartbeats(string nodeId) => Unhedged<HeartbeatAck>(nodeId);

    /// <summary>
    /// Escrow reads, server streams applied page by page: retried on the node's next site and never hedged,
    /// like filings, but with no deadline over the whole stream (a dump has as many pages as the child has
    /// records); the read itself times each page out (<see cref="PipelineSettings.AttemptTimeout"/>).
    /// </summary>
    public ResiliencePipeline<StreamRead> Streams(string nodeId) => _registry.GetOrAddPipeline<StreamRead>(nodeId, (builder, context) =>
    {
        var state = State(context.PipelineKey);
        builder.TimeProvider = _time;
        builder.AddRateLimiter(state.Limiter);
        if (_settings.MaxRetries > 0)
        {
            builder.AddRetry(Retry<StreamRead>(state));
        }

        builder.AddPipeline(Circuit(context.PipelineKey));
    });

    private ResiliencePipeline<T> Unhedged<T>(string nodeId) => _registry.GetOrAddPipeline<T>(nodeId, (builder, context) =>
    {
        var state = State(context.PipelineKey);
        builder.TimeProvider = _time;
        builder.AddRateLimiter(state.Limiter).AddTimeout(_settings.TotalTimeout);
        if (_settings.MaxRetries > 0)
        {
            builder.AddRetry(Retry<T>(state));
        }

        builder.AddPipeline(Circuit(context.PipelineKey));
        builder.AddTimeout(_settings.AttemptTimeout);
    });

    public void Dispose()
    {
        _registry.Dispose();
        foreach (var state in _states.Values)
        {
            state.Dispose();
        }
    }

    /// <summary>The hedged attempt <c>n</c> calls the site after the one the primary attempt called; none when every site has been asked.</summary>
    private static Func<ValueTask<Outcome<RemoteAnswer>>>? NextSite(HedgingActionGeneratorArguments<RemoteAnswer> args)
    {
        var count = args.PrimaryContext.Properties.GetValue(EndpointCount, 1);
        if (args.AttemptNumber >= count)
        {
            return null;
        }

        var first = args.PrimaryContext.Properties.GetValue(EndpointIndex, 0);
        args.ActionContext.Properties.Set(EndpointIndex, (first + args.AttemptNumber) % count);
        return () => args.Callback(args.ActionContext);
    }

    private RetryStrategyOptions<T> Retry<T>(NodeState state) => new()
    {
        ShouldHandle = args => ValueTask.FromResult(RemoteFailures.IsTransient(args.Outcome.Exception, args.Context.CancellationToken)),
        MaxRetryAttempts = _settings.MaxRetries,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = _settings.RetryDelay,
        OnRetry = args =>
        {
            // The next attempt starts at the next site: the one that just failed is the least likely to answer.
            var count = args.Context.Properties.GetValue(EndpointCount, 1);
            var first = args.Context.Properties.GetValue(EndpointIndex, 0);
            args.Context.Properties.Set(EndpointIndex, (first + 1) % count);
            _metrics.Retried(state.Tag, args.Context.Properties.GetValue(Method, string.Empty));
            return default;
        },
    };

    /// <summary>The node's circuit, shared by resolves, referral lookups, filings, heartbeats and escrow reads.</summary>
    /// <remarks>
    /// Built once per node under a lock and kept on the node's state: the registry's get-or-add may run its
    /// factory on two threads at once when a node's first calls race, and a second circuit built over the
    /// same <see cref="CircuitBreakerStateProvider"/> throws, failing the call.
    /// </remarks>
    private ResiliencePipeline Circuit(string nodeId)
    {
        var state = State(nodeId);
        if (state.Circuit is { } built)
        {
            return built;
        }

        lock (_building)
        {
            return state.Circuit ??= BuildCircuit(state);
        }
    }

    private ResiliencePipeline BuildCircuit(NodeState state)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(RemoteFailures.IsOutage(args.Outcome.Exception, args.Context.CancellationToken)),
            FailureRatio = _settings.BreakerFailureRatio,
            MinimumThroughput = _settings.BreakerMinimumThroughput,
            SamplingDuration = _settings.BreakerSamplingDuration,
            BreakDuration = _settings.BreakerBreakDuration,
            StateProvider = state.Breaker,
            OnOpened = args =>
            {
                ReportOpened(state, RemoteFailures.Reason(args.Outcome.Exception), args.BreakDuration);
                return default;
            },
            OnClosed = _ =>
            {
                if (state.Closed(_time.GetUtcNow()) is { } outage)
                {
                    LinkLog.NodeReachable(_logger, state.Id, outage);
                }

                return default;
            },
        });
        return builder.Build();
    }

    private void ReportOpened(NodeState state, string reason, TimeSpan breakDuration)
    {
        var report = state.Opened(_time.GetUtcNow(), breakDuration);
        var breakMs = (int)breakDuration.TotalMilliseconds;
        switch (report.Step)
        {
            case OutageStep.Began:
                LinkLog.NodeUnreachable(_logger, state.Id, reason, breakMs);
                break;
            case OutageStep.Continues:
                LinkLog.NodeStillUnreachable(_logger, state.Id, report.Length, reason);
                break;
            default:
                LinkLog.ProbeFailed(_logger, state.Id, reason, breakMs);
                break;
        }
    }
}
