using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace IdResolution.Cql.Tests.Server;

/// <summary>Listens to one meter's instruments: counters summed per node, gauges read on demand.</summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Node), long> _sums = new();
    private readonly ConcurrentDictionary<(string Instrument, string Node), long> _last = new();

    public MetricsRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>A counter's total for a node.</summary>
    public long Sum(string instrument, string node) => _sums.GetValueOrDefault((instrument, node));

    /// <summary>A gauge's current value for a node (observed now).</summary>
    public long Gauge(string instrument, string node)
    {
        _listener.RecordObservableInstruments();
        return _last.GetValueOrDefault((instrument, node), -1);
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var node = string.Empty;
        foreach (var tag in tags)
        {
            if (tag.Key == "node")
            {
                node = tag.Value?.ToString() ?? string.Empty;
            }
        }

        _sums.AddOrUpdate((instrument.Name, node), value, (_, sum) => sum + value);
        _last[(instrument.Name, node)] = value;
    }
}
