using IdResolution.Core.Composition;

namespace IdResolution.Storage.Embedded.Tests;

/// <summary>Store:Path must name a directory: empty, or an existing file, is named with its value.</summary>
public sealed class EmbeddedStoreOptionsValidationTests : IDisposable
{
    private readonly TempStoreDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_default_and_a_new_directory_are_valid()
    {
        Assert.Empty(Problems(new EmbeddedStoreOptions()));
        Assert.Empty(Problems(new EmbeddedStoreOptions { Path = Path.Combine(_directory.Path, "not-yet") }));
    }

    [Fact]
    public void An_empty_path_is_refused() =>
        Assert.StartsWith("Store:Path is ''; allowed: a directory", Assert.Single(Problems(new EmbeddedStoreOptions { Path = string.Empty })), StringComparison.Ordinal);

    [Fact]
    public void A_file_is_not_a_store_directory()
    {
        Directory.CreateDirectory(_directory.Path);
        var file = Path.Combine(_directory.Path, "a-file");
        File.WriteAllText(file, "x");

        Assert.StartsWith($"Store:Path is '{file}'; allowed: a directory (not a file)", Assert.Single(Problems(new EmbeddedStoreOptions { Path = file })), StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> Problems(EmbeddedStoreOptions options)
    {
        var problems = new SettingProblems();
        EmbeddedStoreOptionsValidation.Check(options, problems);
        return problems.Found;
    }
}
