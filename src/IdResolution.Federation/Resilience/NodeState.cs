using System.Threading.RateLimiting;
using Polly;
using Polly.CircuitBreaker;

namespace IdResolution.Federation.Resilience;

/// <summary>
/// What this node keeps per remote node: its circuit, its cap on calls in flight, and the current
/// outage, so the outage is reported once however often the circuit re-opens while the node stays down.
/// </summary>
internal sealed class NodeState : IDisposable
{
    /// <summary>While a node stays down, a reminder at most this often.</summary>
    public static readonly TimeSpan StillDownInterval = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly int _maxInFlight;
    private DateTimeOffset? _outageStart;
    private DateTimeOffset _openUntil;
    private DateTimeOffset _lastWarning;

    public NodeState(string id, string tag, int maxInFlight)
    {
        Id = id;
        Tag = tag;
        _maxInFlight = maxInFlight;
        Limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = maxInFlight, QueueLimit = 0 });
    }

    public string Id { get; }

    /// <summary>The node's metric tag (its id, or "other" past the tag limit).</summary>
    public string Tag { get; }

    public CircuitBreakerStateProvider Breaker { get; } = new();

    /// <summary>The node's one circuit pipeline over <see cref="Breaker"/>, once built (see NodePipelines).</summary>
    public ResiliencePipeline? Circuit { get; set; }

    public ConcurrencyLimiter Limiter { get; }

    public int InFlight => _maxInFlight - (int)(Limiter.GetStatistics()?.CurrentAvailablePermits ?? _maxInFlight);

    /// <summary>0 closed, 1 open, 2 half-open, 3 isolated, as the gauge reports it.</summary>
    public int BreakerValue => Breaker.CircuitState switch
    {
        CircuitState.Closed => 0,
        CircuitState.Open => 1,
        CircuitState.HalfOpen => 2,
        _ => 3,
    };

    /// <summary>
    /// Whether a call now would be refused by the circuit without reaching the node. Polly leaves an open
    /// circuit "open" until the next call after the break; that call is the probe, so it is not refused.
    /// </summary>
    public bool IsRefusing(DateTimeOffset now)
    {
        switch (Breaker.CircuitState)
        {
            case CircuitState.Closed:
                return false;
            case CircuitState.Open:
                lock (_gate)
                {
                    return now < _openUntil;
                }

            default:
                return true;
        }
    }

    /// <summary>Records an opening; what to tell the operator about it.</summary>
    public OutageReport Opened(DateTimeOffset now, TimeSpan breakDuration)
    {
        lock (_gate)
        {
            _openUntil = now + breakDuration;
            if (_outageStart is null)
            {
                _outageStart = now;
                _lastWarning = now;
                return new OutageReport(OutageStep.Began, TimeSpan.Zero);
            }

            var length = now - _outageStart.Value;
            if (now - _lastWarning >= StillDownInterval)
            {
                _lastWarning = now;
                return new OutageReport(OutageStep.Continues, length);
            }

            return new OutageReport(OutageStep.Probed, length);
        }
    }

    /// <summary>Records the closing; the outage's length, or null when there was none (a manual reset).</summary>
    public TimeSpan? Closed(DateTimeOffset now)
    {
        lock (_gate)
        {
            var start = _outageStart;
            _outageStart = null;
            return start is null ? null : now - start.Value;
        }
    }

    public void Dispose() => Limiter.Dispose();
}

internal enum OutageStep
{
    /// <summary>The node just became unreachable.</summary>
    Began,

    /// <summary>A probe failed; not worth a log line above Debug.</summary>
    Probed,

    /// <summary>A probe failed and the last reminder is old enough for another.</summary>
    Continues,
}

internal readonly record struct OutageReport(OutageStep Step, TimeSpan Length);
