using IdResolution.Core.Composition;

namespace IdResolution.Node.Hosting;

/// <summary>The allowed values of section <c>Escrow</c>.</summary>
internal static class EscrowOptionsValidation
{
    public static void Check(EscrowOptions options, SettingProblems problems)
    {
        problems.Range($"{EscrowOptions.Section}:PollMilliseconds", options.PollMilliseconds, 50, 3_600_000);
        problems.Range($"{EscrowOptions.Section}:BatchSize", options.BatchSize, 1, 5000);
    }
}
