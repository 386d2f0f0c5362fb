using System.Globalization;

namespace IdResolution.Cli.Output;

/// <summary>Rates and remaining times in words, for progress lines.</summary>
internal static class Rates
{
    public static string Eta(long done, long total, double perSecond)
    {
        if (done >= total)
        {
            return "done";
        }

        if (perSecond <= 0)
        {
            return "ETA --:--";
        }

        var remaining = TimeSpan.FromSeconds(Math.Min((total - done) / perSecond, TimeSpan.FromDays(99).TotalSeconds));
        return "ETA " + remaining.ToString(remaining.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
    }

    public static string Number(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
