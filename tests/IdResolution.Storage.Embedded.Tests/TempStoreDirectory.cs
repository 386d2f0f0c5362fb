namespace IdResolution.Storage.Embedded.Tests;

/// <summary>A fresh directory under the system temp folder, removed with everything in it.</summary>
internal sealed class TempStoreDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "idres-store-" + Guid.NewGuid().ToString("N"));

    public EmbeddedStoreOptions Options => new() { Path = Path };

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
