using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace IdResolution.Federation.Tests.Infrastructure;

/// <summary>Every measurement of one meter's instruments, with its tags, as an exporter would receive it.</summary>
internal sealed class Measurements : IDisposable
{
    private readonly MeterListener _listener = new();

    public Measurements(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public ConcurrentQueue<Measured> All { get; } = new();

    public IReadOnlyList<Measured> Of(string instrument) => [.. All.Where(m => m.Instrument == instrument)];

    /// <summary>Reads the gauges now and returns what they said.</summary>
    public IReadOnlyList<Measured> Observe(string instrument)
    {
        var before = All.Count;
        _listener.RecordObservableInstruments();
        return [.. All.Skip(before).Where(m => m.Instrument == instrument)];
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copied = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copied[tag.Key] = Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        }

        All.Enqueue(new Measured(instrument.Name, value, copied));
    }
}

internal sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, string> Tags)
{
    public string Tag(string key) => Tags.GetValueOrDefault(key, string.Empty);
}
