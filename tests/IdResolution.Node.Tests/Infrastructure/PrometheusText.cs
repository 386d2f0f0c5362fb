using System.Globalization;

namespace IdResolution.Node.Tests.Infrastructure;

/// <summary>Reads values out of the node's /metrics exposition (every series carries the OTel scope labels too).</summary>
internal static class PrometheusText
{
    /// <summary>The sum of the series of <paramref name="name"/> whose labels include <paramref name="label"/>.</summary>
    public static double Sum(string exposition, string name, string label = "") => exposition
        .Split('\n')
        .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal))
        .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    public static bool Has(string exposition, string name, string label = "") => exposition
        .Split('\n')
        .Any(line => line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal));
}
