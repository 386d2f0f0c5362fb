using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace IdResolution.Node.Security;

/// <summary>
/// The node's token signing keys (ECDSA P-256, ES256). The newest signs; every key still in the ring
/// validates, so rotation logs nobody out: a key is dropped only once every token it signed has expired.
/// The ring is a file readable by the node's user only.
/// </summary>
internal sealed class SigningKeyRing
{
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly TimeSpan _tokenLifetime;
    private readonly Lock _gate = new();
    private List<RingKey> _keys;

    public SigningKeyRing(TokenOptions options, TimeProvider time)
    {
        _path = Path.GetFullPath(options.KeyRingPath);
        _time = time;
        _tokenLifetime = options.Lifetime;
        _keys = Load(_path);
        if (_keys.Count == 0)
        {
            Rotate();
        }
    }

    public SecurityKey Current
    {
        get
        {
            lock (_gate)
            {
                return _keys[^1].SecurityKey;
            }
        }
    }

    public IEnumerable<SecurityKey> Resolve(string? keyId)
    {
        lock (_gate)
        {
            return [.. _keys.Where(k => keyId is null || k.Id == keyId).Select(k => k.SecurityKey)];
        }
    }

    /// <summary>Adds a new current key and drops keys whose tokens can no longer be valid.</summary>
    public string Rotate()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var created = new StoredKey(
                Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
                now,
                Convert.ToBase64String(ecdsa.ExportPkcs8PrivateKey()));

            // A key retired now may have signed a token a moment ago; keep it a full lifetime more.
            var keep = _keys.Where(k => k.Stored.Created > now - (2 * _tokenLifetime)).Select(k => k.Stored).Append(created).ToList();
            Save(_path, keep);
            _keys = [.. keep.Select(RingKey.From)];
            return created.Id;
        }
    }

    private static List<RingKey> Load(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var stored = JsonSerializer.Deserialize(File.ReadAllBytes(path), KeyRingJson.Default.ListStoredKey) ?? [];
        return [.. stored.OrderBy(k => k.Created).Select(RingKey.From)];
    }

    private static void Save(string path, List<StoredKey> keys)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture) + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(file, keys, KeyRingJson.Default.ListStoredKey);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    internal sealed record StoredKey(string Id, DateTimeOffset Created, string Pkcs8);

    private sealed record RingKey(string Id, StoredKey Stored, SecurityKey SecurityKey)
    {
        public static RingKey From(StoredKey stored)
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(stored.Pkcs8), out _);
            return new RingKey(stored.Id, stored, new ECDsaSecurityKey(ecdsa) { KeyId = stored.Id });
        }
    }
}

[JsonSerializable(typeof(List<SigningKeyRing.StoredKey>))]
internal sealed partial class KeyRingJson : JsonSerializerContext;
