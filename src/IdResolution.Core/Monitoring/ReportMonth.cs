using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace IdResolution.Core.Monitoring;

/// <summary>A calendar month in UTC, written <c>yyyy-MM</c>.</summary>
public readonly record struct ReportMonth(int Year, int Month)
{
    public DateTimeOffset Start => new(Year, Month, 1, 0, 0, 0, TimeSpan.Zero);

    public DateTimeOffset End => Start.AddMonths(1);

    public TimeRange Range => new(Start, End);

    public static bool TryParse(string? text, [NotNullWhen(true)] out ReportMonth? month)
    {
        month = null;
        if (DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            month = new ReportMonth(parsed.Year, parsed.Month);
        }

        return month is not null;
    }

    public override string ToString() => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
