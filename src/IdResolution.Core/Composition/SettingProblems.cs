using System.Globalization;

namespace IdResolution.Core.Composition;

/// <summary>
/// The settings found wrong at start, one sentence each naming the full configuration key, the value
/// and what is allowed (e.g. <c>Cache:MaxTtlSeconds is -5; allowed: 0 to 604800.</c>), so an operator
/// can fix them from the log line alone.
/// </summary>
public sealed class SettingProblems
{
    private readonly List<string> _found = [];

    public IReadOnlyList<string> Found => _found;

    public void Add(string key, object? value, string allowed) =>
        _found.Add($"{key} is {Show(value)}; allowed: {allowed}.");

    /// <summary>For a setting that may hold a password: named, its value not shown.</summary>
    public void AddSecret(string key, string allowed) =>
        _found.Add($"{key} is not valid (the value is not shown: it may hold a password); allowed: {allowed}.");

    public void Check(bool holds, string key, object? value, string allowed)
    {
        if (!holds)
        {
            Add(key, value, allowed);
        }
    }

    public void Range(string key, long value, long min, long max) =>
        Check(value >= min && value <= max, key, value, Invariant($"{min} to {max}"));

    /// <summary>
    /// <see cref="Range(string, long, long, long)"/>, returning the value when it is in range and
    /// <paramref name="max"/> when not: what the settings bounded by this one are judged against, so
    /// that only the setting at fault is named.
    /// </summary>
    public int Limit(string key, int value, int min, int max)
    {
        Range(key, value, min, max);
        return value >= min && value <= max ? value : max;
    }

    public void Range(string key, double value, double min, double max) =>
        Check(value >= min && value <= max, key, value, Invariant($"{min} to {max}"));

    /// <summary>More than zero (fractions allowed), at most <paramref name="max"/>.</summary>
    public void Positive(string key, double value, double max) =>
        Check(value > 0 && value <= max, key, value, Invariant($"more than 0, at most {max}"));

    public void Required(string key, string? value, string allowed) =>
        Check(!string.IsNullOrWhiteSpace(value), key, value, allowed);

    private static string Show(object? value) => value switch
    {
        null => "empty",
        string text => "'" + text + "'",
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "empty",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
