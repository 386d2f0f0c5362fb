using System.Collections.Concurrent;
using System.Diagnostics;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// Probes every dependency once a second, all at once, each bounded by a timeout, and keeps the last
/// reading of each with since when its state holds. The status, the dashboard and the health endpoints
/// read these readings: they come from the probe, not from traffic, so an idle node shows a dead Redis too.
/// </summary>
internal sealed class DependencyProbe(IEnumerable<IDependencyCheck> checks, TimeProvider time, ILogger<DependencyProbe> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>A probe that takes longer counts as down; the next round starts on the next whole interval.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly IReadOnlyList<IDependencyCheck> _checks = [.. checks];
    private readonly ConcurrentDictionary<string, DependencySnapshot> _last = new(StringComparer.Ordinal);

    /// <summary>Every dependency in registration order; ones not probed yet are <c>unknown</c>.</summary>
    public IReadOnlyList<DependencySnapshot> Current
    {
        get
        {
            var now = time.GetUtcNow();
            return [.. _checks.Select(check => _last.TryGetValue(check.Name, out var snapshot)
                ? snapshot
                : new DependencySnapshot(check.Name, DependencyStates.Unknown, 0, "not probed yet", now, now))];
        }
    }

    /// <summary>The names of the dependencies without which the node cannot serve.</summary>
    public bool IsEssential(string name) => _checks.Any(check => check.Essential && check.Name == name);

    /// <summary>Probes every dependency once, now (also used before the first round, so a status is never empty for long).</summary>
    public async Task ProbeAllAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(_checks.Select(check => ProbeAsync(check, cancellationToken)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                await ProbeAllAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ProbeAsync(IDependencyCheck check, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        DependencyReading reading;
        using (var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            bounded.CancelAfter(Timeout);
            try
            {
                reading = await check.CheckAsync(bounded.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                reading = DependencyReading.Down($"no answer within {Timeout.TotalSeconds:0} s");
            }
        }

        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var now = time.GetUtcNow();
        var previous = _last.TryGetValue(check.Name, out var last) ? last : null;
        var since = previous is not null && previous.State == reading.State ? previous.Since : now;
        _last[check.Name] = new DependencySnapshot(check.Name, reading.State, latency, reading.Detail, since, now);
        if (previous is not null && previous.State != reading.State)
        {
            if (reading.State == DependencyStates.Up)
            {
                DashboardLog.DependencyRecovered(logger, check.Name, previous.State, reading.Detail);
            }
            else
            {
                DashboardLog.DependencyImpaired(logger, check.Name, reading.State, previous.State, reading.Detail);
            }
        }
    }
}
