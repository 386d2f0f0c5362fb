using System.Text.Json;
using System.Text.Json.Serialization;

namespace IdResolution.Cli.Connection;

/// <summary>
/// The user's config file, <c>$IDRES_CONFIG_DIR</c> or <c>$XDG_CONFIG_HOME/idres</c> or <c>~/.config/idres</c>,
/// then <c>config.json</c>: profiles with endpoints and tokens. Tokens are secrets, so the directory is made
/// 0700 and the file 0600, and the file is replaced whole (written beside it, then renamed) so a crash never
/// leaves half a file.
/// </summary>
internal sealed class ConfigFile
{
    public const string DefaultProfile = "default";

    public ConfigFile(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string FilePath => Path.Combine(Directory, "config.json");

    public static ConfigFile ForUser()
    {
        var explicitDirectory = Environment.GetEnvironmentVariable("IDRES_CONFIG_DIR");
        if (!string.IsNullOrEmpty(explicitDirectory))
        {
            return new ConfigFile(explicitDirectory);
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        var root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return new ConfigFile(Path.Combine(root, "idres"));
    }

    public ConfigDocument Read()
    {
        if (!File.Exists(FilePath))
        {
            return new ConfigDocument();
        }

        try
        {
            using var stream = File.OpenRead(FilePath);
            return JsonSerializer.Deserialize(stream, ConfigJson.Default.ConfigDocument) ?? new ConfigDocument();
        }
        catch (JsonException invalid)
        {
            throw CliFailure.Usage($"the config file {FilePath} is not valid JSON: {invalid.Message}");
        }
    }

    public Profile? Find(string name) => Read().Profiles.GetValueOrDefault(name);

    public void Save(string name, Profile profile)
    {
        var document = Read();
        document.Profiles[name] = profile;
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var temporary = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, document, ConfigJson.Default.ConfigDocument);
            stream.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            // A file left by an older version or another tool may have wider modes; the rename keeps these.
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }
}

internal sealed class ConfigDocument
{
    public Dictionary<string, Profile> Profiles { get; init; } = new(StringComparer.Ordinal);
}

[JsonSerializable(typeof(ConfigDocument))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class ConfigJson : JsonSerializerContext;
