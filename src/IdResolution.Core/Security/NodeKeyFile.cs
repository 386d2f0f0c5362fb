using System.Security.Cryptography;

namespace IdResolution.Core.Security;

/// <summary>
/// The node's own key (ECDSA P-256, PKCS#8 PEM, readable by the node's user only): made at first start,
/// kept across restarts. Its public part is the credential a parent admits the node with, and every call
/// to another node carries an assertion signed by it (<see cref="NodeAssertion"/>).
/// </summary>
public static class NodeKeyFile
{
    /// <summary>Reads the key at <paramref name="path"/>, creating it (and its directory) when there is none.</summary>
    public static ECDsa LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        path = Path.GetFullPath(path);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(path))
        {
            try
            {
                key.ImportFromPem(File.ReadAllText(path));
                return key;
            }
            catch (Exception exception) when (exception is ArgumentException or CryptographicException)
            {
                key.Dispose();
                throw new InvalidDataException($"the node key in '{path}' is not an ECDSA private key in PEM: {exception.Message}", exception);
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".new";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
            writer.Flush();
            file.Flush(flushToDisk: true);
        }

        // Two instances starting at once over one directory: the first key written wins, the other reads it.
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            key.Dispose();
            return LoadOrCreate(path);
        }

        return key;
    }
}
