using IdResolution.Core.Composition;

namespace IdResolution.Node.Hosting;

/// <summary>The allowed values of section <c>Duties</c>.</summary>
internal static class DutiesOptionsValidation
{
    public static void Check(DutiesOptions options, SettingProblems problems)
    {
        problems.Range($"{DutiesOptions.Section}:HeartbeatSeconds", options.HeartbeatSeconds, 1, 3600);
        problems.Required($"{DutiesOptions.Section}:JournalPath", options.JournalPath, "a directory for the operations journal");
    }
}
