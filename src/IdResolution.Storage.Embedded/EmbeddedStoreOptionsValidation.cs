using IdResolution.Core.Composition;

namespace IdResolution.Storage.Embedded;

/// <summary>The allowed values of the embedded store's settings (section <c>Store</c>).</summary>
public static class EmbeddedStoreOptionsValidation
{
    public static void Check(EmbeddedStoreOptions options, SettingProblems problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        var key = $"{EmbeddedStoreOptions.SectionName}:Path";
        problems.Required(key, options.Path, "a directory the node may create and lock, e.g. /var/lib/idresolution");
        if (!string.IsNullOrWhiteSpace(options.Path))
        {
            problems.Check(options.Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) < 0 && !File.Exists(options.Path), key, options.Path,
                "a directory (not a file) the node may create and lock");
        }
    }
}
