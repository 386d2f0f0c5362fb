using System.Globalization;
using IdResolution.Core.Storage;
using IdResolution.Storage.Embedded;

namespace IdResolution.Node.Hosting;

/// <summary>
/// <c>IdResolution.Node restore --from &lt;backup dir&gt; --to &lt;store dir&gt;</c>: brings an embedded store back from a
/// backup, run with the node stopped, before starting it with <c>Store:Path</c> at the restored directory.
/// </summary>
internal static class RestoreCommand
{
    public const string Name = "restore";

    public static bool IsRequested(string[] args) => args is [Name, ..];

    /// <summary>0 once restored and checked; 1 when the backup or the target was refused (nothing changed); 2 on a usage error.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        var from = Option(args, "--from");
        var to = Option(args, "--to");
        if (from is null || to is null)
        {
            errors.WriteLine("Usage: IdResolution.Node restore --from <backup directory> --to <store directory, new or empty>");
            return 2;
        }

        try
        {
            var restored = EmbeddedBackup.Restore(from, to);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Restored {Path.GetFullPath(from)} to {restored.Directory}: change log position {restored.FeedPosition}, {restored.Records} records, SHA-256 {restored.RecordsSha256} (backup taken {restored.TakenAt:u})."));
            return 0;
        }
        catch (Exception failure) when (failure is BackupRefusedException or IOException or UnauthorizedAccessException)
        {
            errors.WriteLine("Not restored: " + failure.Message);
            return 1;
        }
    }

    private static string? Option(string[] args, string name)
    {
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == name && i + 1 < args.Length)
            {
                return args[i + 1];
            }

            if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                return args[i][(name.Length + 1)..];
            }
        }

        return null;
    }
}
