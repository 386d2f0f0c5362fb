using System.Globalization;

namespace IdResolution.Node.Tests.Infrastructure;

/// <summary>
/// The seed of a fuzz run: random per run, or <c>IDRES_FUZZ_SEED</c> when set, so a failure (whose
/// message names the seed) can be replayed exactly.
/// </summary>
public static class FuzzSeed
{
    public const string Variable = "IDRES_FUZZ_SEED";

    public static int Pick()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable(Variable), CultureInfo.InvariantCulture, out var fixedSeed)
            ? fixedSeed
            : Random.Shared.Next();
        TestContext.Current.TestOutputHelper?.WriteLine($"fuzz seed {seed} (set {Variable}={seed} to replay)");
        return seed;
    }
}
