namespace IdResolution.LoadTests;

/// <summary>What one scenario measured, and what was checked around the measurement.</summary>
internal sealed record ScenarioResult(
    CacheScenario Scenario,
    LoadSample Load,
    long PrimingFailures,
    TierCount Served,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Warnings)
{
    public long Failures => PrimingFailures + Load.Failures;
}
