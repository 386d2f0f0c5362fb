using System.ComponentModel;
using System.Diagnostics;
using IdResolution.Storage.Embedded.Tests.Disks;

namespace IdResolution.Node.Tests.Disks;

/// <summary>
/// A full disk by fault injection at the file layer, for machines where a test cannot mount a small
/// filesystem: <c>enospc.c</c>, built here with the system's C compiler and preloaded into the node
/// process (LD_PRELOAD), fails every write, pwrite, writev and fallocate on files under
/// <see cref="Path"/> with ENOSPC while a trigger file exists. RocksDB and .NET see what a full disk
/// answers; the filesystem's free space does not change, so the store's reopen is refused by the
/// engine itself rather than skipped.
/// </summary>
public sealed class EnospcInjection : IFillableDisk, IDisposable
{
    private readonly string _root;
    private readonly string _trigger;

    private EnospcInjection(string root, string library)
    {
        _root = root;
        Path = System.IO.Path.Combine(root, "data");
        Directory.CreateDirectory(Path);
        _trigger = System.IO.Path.Combine(root, "disk-is-full");
        Environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["LD_PRELOAD"] = library,
            ["IDRES_ENOSPC_DIR"] = Path,
            ["IDRES_ENOSPC_TRIGGER"] = _trigger,
        };
    }

    public string Path { get; }

    /// <summary>What the node process needs in its environment for the injection.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Builds the shim, or skips the calling test saying why it cannot.</summary>
    public static EnospcInjection BuildOrSkip()
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "idres-enospc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var library = System.IO.Path.Combine(root, "libidres-enospc.so");
        var source = System.IO.Path.Combine(AppContext.BaseDirectory, "Disks", "enospc.c");
        var start = new ProcessStartInfo("cc") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-shared", "-fPIC", "-O2", "-o", library, source, "-ldl" })
        {
            start.ArgumentList.Add(argument);
        }

        string failure;
        try
        {
            using var compiler = Process.Start(start)!;
            var output = compiler.StandardOutput.ReadToEndAsync();
            failure = compiler.StandardError.ReadToEnd() + output.Result;
            compiler.WaitForExit();
            if (compiler.ExitCode == 0)
            {
                return new EnospcInjection(root, library);
            }
        }
        catch (Win32Exception exception)
        {
            failure = exception.Message;
        }

        Directory.Delete(root, recursive: true);
        Assert.Skip($"the ENOSPC shim cannot be built: no working C compiler (cc): {failure.Trim()}; install gcc to run this test");
        return null!;
    }

    public void Fill() => File.WriteAllText(_trigger, "full");

    public void Free() => File.Delete(_trigger);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A process that still holds a file open; the OS temp cleaner takes it later.
        }
    }
}
