using System.Globalization;

namespace IdResolution.LoadTests;

/// <summary>Which of the cache situations a run measures.</summary>
internal enum ScenarioSelection
{
    All,
    InProcess,
    Redis,
    Store,
}

/// <summary>The command line of the cache-tier benchmark.</summary>
internal sealed record BenchOptions(int Handles, int Concurrency, TimeSpan Measured, TimeSpan Warmup, ScenarioSelection Scenarios)
{
    public const string Usage = """
        usage: IdResolution.LoadTests [--handles N] [--concurrency C] [--seconds S] [--warmup S]
                                      [--scenario all|in-process|redis|store]
          --handles N      handles created once and resolved at random (default 10000)
          --concurrency C  concurrent resolving workers (default 32)
          --seconds S      measured period per scenario (default 10)
          --warmup S       unmeasured period before it (default 2)
          --scenario X     which cache situation to measure (default all)
        """;

    public static BenchOptions Defaults { get; } = new(10_000, 32, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), ScenarioSelection.All);

    public bool Runs(ScenarioSelection scenario) => Scenarios == ScenarioSelection.All || Scenarios == scenario;

    public static bool TryParse(IReadOnlyList<string> args, out BenchOptions options, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        options = Defaults;
        error = string.Empty;
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (i + 1 >= args.Count)
            {
                error = $"{flag} needs a value";
                return false;
            }

            var value = args[++i];
            switch (flag)
            {
                case "--handles" when TryCount(value, out var handles):
                    options = options with { Handles = handles };
                    break;
                case "--concurrency" when TryCount(value, out var concurrency):
                    options = options with { Concurrency = concurrency };
                    break;
                case "--seconds" when TrySeconds(value, out var measured) && measured > TimeSpan.Zero:
                    options = options with { Measured = measured };
                    break;
                case "--warmup" when TrySeconds(value, out var warmup):
                    options = options with { Warmup = warmup };
                    break;
                case "--scenario" when TryScenario(value, out var scenarios):
                    options = options with { Scenarios = scenarios };
                    break;
                case "--handles" or "--concurrency" or "--seconds" or "--warmup" or "--scenario":
                    error = $"{flag} does not take '{value}'";
                    return false;
                default:
                    error = $"unknown option '{flag}'";
                    return false;
            }
        }

        return true;
    }

    private static bool TryCount(string text, out int count) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count > 0;

    private static bool TrySeconds(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds > 86_400)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    private static bool TryScenario(string text, out ScenarioSelection scenarios)
    {
        scenarios = text switch
        {
            "all" => ScenarioSelection.All,
            "in-process" => ScenarioSelection.InProcess,
            "redis" => ScenarioSelection.Redis,
            "store" => ScenarioSelection.Store,
            _ => (ScenarioSelection)(-1),
        };
        return Enum.IsDefined(scenarios);
    }
}
