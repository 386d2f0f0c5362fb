using Microsoft.Extensions.Configuration.Json;

namespace IdResolution.Node.Hosting;

/// <summary>
/// One settings file per node (<c>--Config=deploy/hierarchy/top.json</c>, or <c>IDRES__Config</c>), so the nodes
/// of a hierarchy on one machine differ by a file each, not by a long command line. It sits above the shipped
/// appsettings.json and below the environment and the command line, which still override single settings.
/// </summary>
internal static class NodeConfigFile
{
    public const string Key = "Config";

    public static void AddNodeConfigFile(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var path = builder.Configuration[Key];
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        var full = Path.GetFullPath(path);
        var sources = ((IConfigurationBuilder)builder.Configuration).Sources;
        var lastJson = sources.Select((source, index) => (source, index)).LastOrDefault(pair => pair.source is JsonConfigurationSource).index;
        // Optional here, checked when the node starts (RequireExists), so a wrong path stops it with one line naming the setting.
        var file = new JsonConfigurationSource { Path = Path.GetFileName(full), Optional = true, ReloadOnChange = false };
        file.FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetDirectoryName(full)!);
        sources.Insert(lastJson + 1, file);
    }

    /// <summary>Stops the start when <c>Config</c> names a file that is not there.</summary>
    public static void RequireExists(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[Key] is { Length: > 0 } path && !File.Exists(path))
        {
            throw new InvalidOperationException($"{Key} is {path}; allowed: the path of an existing JSON settings file (it is not there, seen from {Directory.GetCurrentDirectory()})");
        }
    }
}
