using System.Globalization;
using System.Text;

namespace IdResolution.LoadTests;

/// <summary>
/// The table for people and one RESULT line per scenario for scripts. Throughput is compared with
/// the in-process hit because that is the ceiling a node reaches when its cache is doing its job.
/// </summary>
internal static class ResultReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // One argument list (WriteMeasured's) serves both, so the table skips {6}, the resolution count, rather than renumbering.
    private static readonly CompositeFormat TableRow = CompositeFormat.Parse("{0,-15} {1,14:N0} {2,10:F4} {3,10:F4} {4,10:F4} {5,9} {7,12}");
    private static readonly CompositeFormat ResultLine = CompositeFormat.Parse("RESULT scenario={0} rps={1:F0} p50_ms={2:F4} p99_ms={3:F4} p999_ms={4:F4} failures={5} resolutions={6} ratio_to_in_process={7}");

    public static void Write(TextWriter output, IReadOnlyList<ScenarioResult> results, IReadOnlyDictionary<CacheScenario, string> skipped)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(skipped);
        var baseline = results.FirstOrDefault(result => result.Scenario == CacheScenario.InProcessHit)?.Load.PerSecond;

        output.WriteLine();
        output.WriteLine(string.Format(Invariant, "{0,-15} {1,14} {2,10} {3,10} {4,10} {5,9} {6,12}", "scenario", "resolutions/s", "p50 ms", "p99 ms", "p99.9 ms", "failures", "vs in-proc"));
        foreach (var result in results)
        {
            WriteMeasured(output, TableRow, result, baseline);
        }

        foreach (var (scenario, reason) in skipped)
        {
            output.WriteLine(string.Format(Invariant, "{0,-15} skipped: {1}", scenario.Name, reason));
        }

        output.WriteLine();
        foreach (var result in results)
        {
            var served = result.Served;
            output.WriteLine(string.Format(
                Invariant,
                "{0}: {1}; answered during warm-up and measurement by in-process {2:N0}, Redis {3:N0}, store {4:N0}",
                result.Scenario.Name,
                result.Scenario.Meaning,
                served.InProcessHits,
                served.RedisHits,
                served.StoreReads));
            if (result.Load.FirstFailure is { } failure)
            {
                output.WriteLine($"  first failure: {failure}");
            }

            foreach (var warning in result.Warnings)
            {
                output.WriteLine($"  WARNING: {warning}");
            }
        }

        output.WriteLine();
        foreach (var result in results)
        {
            WriteMeasured(output, ResultLine, result, baseline);
        }

        foreach (var scenario in skipped.Keys)
        {
            output.WriteLine($"RESULT scenario={scenario.Name} skipped=true");
        }
    }

    private static void WriteMeasured(TextWriter output, CompositeFormat format, ScenarioResult result, double? baseline)
    {
        var load = result.Load;
        output.WriteLine(string.Format(
            Invariant,
            format,
            result.Scenario.Name,
            load.PerSecond,
            load.PercentileMilliseconds(50),
            load.PercentileMilliseconds(99),
            load.PercentileMilliseconds(99.9),
            result.Failures,
            load.Resolutions,
            Ratio(load.PerSecond, baseline)?.ToString("F4", Invariant) ?? "n/a"));
    }

    private static double? Ratio(double perSecond, double? baseline) => baseline is > 0 ? perSecond / baseline : null;
}
