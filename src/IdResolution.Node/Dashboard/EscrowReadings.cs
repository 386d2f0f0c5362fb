using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using IdResolution.Core.Telemetry;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// The escrow figures the node exports itself (its <c>idres.escrow.*</c> instruments), read from the
/// instruments rather than from the escrow code, so the dashboard shows whatever escrow measures without
/// knowing it: observed instruments as the sum of their last observation, counters as running totals, gauges as last recorded. Empty while
/// the node exports no escrow instrument; the page then says "n/a".
/// </summary>
internal sealed class EscrowReadings : IDisposable
{
    public const string InstrumentPrefix = "idres.escrow.";

    private readonly MeterListener _listener = new();
    private readonly object _scope;
    private readonly ConcurrentDictionary<string, Reading> _readings = new(StringComparer.Ordinal);

    public EscrowReadings(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _scope = meters;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, _scope) && instrument.Meter.Name == NodeMetrics.MeterName
                && instrument.Name.StartsWith(InstrumentPrefix, StringComparison.Ordinal) && !IsHistogram(instrument))
            {
                listener.EnableMeasurementEvents(instrument, _readings.GetOrAdd(instrument.Name, _ => new Reading(instrument.Unit, KindOf(instrument))));
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, state) => ((Reading)state!).Add(value));
        _listener.SetMeasurementEventCallback<int>((_, value, _, state) => ((Reading)state!).Add(value));
        _listener.SetMeasurementEventCallback<double>((_, value, _, state) => ((Reading)state!).Add(value));
        _listener.Start();
    }

    /// <summary>Every escrow instrument the node exports, by name, with its unit and current value; empty when there is none.</summary>
    public IReadOnlyList<(string Name, string? Unit, double Value)> Read()
    {
        if (_readings.IsEmpty)
        {
            return [];
        }

        // One observation round: observable gauges report now, each from a fresh sum.
        lock (_listener)
        {
            foreach (var reading in _readings.Values)
            {
                reading.BeginRound();
            }

            _listener.RecordObservableInstruments();
            return [.. _readings.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Value.Unit, r.Value.Value))];
        }
    }

    public void Dispose() => _listener.Dispose();

    private static bool IsHistogram(Instrument instrument) => instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal);

    private static Kind KindOf(Instrument instrument) => instrument.GetType().Name switch
    {
        // Observable instruments report their whole value at each observation (per tag set): summed per round.
        _ when instrument.IsObservable => Kind.ObservedPerRound,
        var type when type.StartsWith("Gauge", StringComparison.Ordinal) => Kind.Last,
        _ => Kind.Running,
    };

    private enum Kind
    {
        ObservedPerRound,
        Last,
        Running,
    }

    private sealed class Reading(string? unit, Kind kind)
    {
        private readonly object _gate = new();
        private double _value;
        private bool _roundStarted;

        public string? Unit => unit;

        public double Value
        {
            get
            {
                lock (_gate)
                {
                    return _value;
                }
            }
        }

        public void BeginRound()
        {
            lock (_gate)
            {
                _roundStarted = kind == Kind.ObservedPerRound;
            }
        }

        public void Add(double value)
        {
            lock (_gate)
            {
                if (_roundStarted)
                {
                    _value = 0;
                    _roundStarted = false;
                }

                _value = kind == Kind.Last ? value : _value + value;
            }
        }
    }
}
