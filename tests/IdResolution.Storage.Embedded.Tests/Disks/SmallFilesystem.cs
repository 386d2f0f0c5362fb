using System.ComponentModel;
using System.Diagnostics;

namespace IdResolution.Storage.Embedded.Tests.Disks;

/// <summary>A disk a test fills up (every write to it then fails with ENOSPC) and frees again.</summary>
public interface IFillableDisk
{
    /// <summary>The directory on the disk; a node's or store's files go below it.</summary>
    string Path { get; }

    void Fill();

    void Free();
}

/// <summary>
/// A real, small filesystem (tmpfs of a few MiB) mounted on a fresh directory, filled with a filler
/// file until the kernel answers ENOSPC. Mounting needs root: where it is refused, the test is
/// skipped with the reason. Unmounted (lazily if a process still holds a file) and removed on dispose.
/// </summary>
public sealed class SmallFilesystem : IFillableDisk, IDisposable
{
    private const string FillerName = "filler";

    private SmallFilesystem(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MiB, or skips the calling test saying why it cannot.</summary>
    public static SmallFilesystem MountOrSkip(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "idres-small-disk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var (exitCode, output) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0755", "tmpfs", path);
        if (exitCode != 0)
        {
            Directory.Delete(path);
            Assert.Skip($"a {megabytes} MiB tmpfs cannot be mounted here ({output.Trim()}); mounting needs root. "
                + "A node's disk-full behaviour is also covered by DiskFullTests' fault-injection test (ENOSPC from a preloaded shim).");
        }

        return new SmallFilesystem(path);
    }

    /// <summary>Writes a filler file until the filesystem has no byte left.</summary>
    public void Fill()
    {
        using var filler = new FileStream(System.IO.Path.Combine(Path, FillerName), FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                filler.Write(block);
            }
        }
        catch (IOException)
        {
            // No space left: what the test wanted. Smaller writes take the last partial block.
        }

        try
        {
            while (true)
            {
                filler.Write(block.AsSpan(0, 512));
            }
        }
        catch (IOException)
        {
            // Full to the last block.
        }
    }

    public void Free() => File.Delete(System.IO.Path.Combine(Path, FillerName));

    public void Dispose()
    {
        if (Run("umount", Path).ExitCode != 0)
        {
            Run("umount", "-l", Path);
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Still mounted by a process that holds it; the lazy unmount frees it when that ends.
        }
    }

    private static (int ExitCode, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Result + errors);
        }
        catch (Win32Exception exception)
        {
            return (-1, $"{program}: {exception.Message}");
        }
    }
}
