using System.Buffers;
using IdResolution.Core.Wire;

namespace IdResolution.Core.Records;

/// <summary>
/// The data of an HS_ADMIN value: which admin (a handle and the index of its key or group value)
/// holds which of the twelve admin permissions. Encoded as RFC 3651 §3.2.1: permissions (2 bytes),
/// admin handle (UTF8-String), admin index (4 bytes).
/// </summary>
public sealed record AdminValue(string AdminHandle, int AdminIndex, AdminPermissions Permissions)
{
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new WireWriter(buffer);
        writer.WriteUInt16((int)Permissions);
        writer.WriteString(AdminHandle);
        writer.WriteInt32(AdminIndex);
        return buffer.WrittenSpan.ToArray();
    }

    public static bool TryDecode(ReadOnlySpan<byte> data, out AdminValue? value)
    {
        value = null;
        var reader = new WireReader(data);
        if (!reader.TryReadUInt16(out var bits) || !reader.TryReadString(out var handle) || !reader.TryReadInt32(out var index) || !reader.IsEmpty)
        {
            return false;
        }

        value = new AdminValue(handle, index, (AdminPermissions)(bits & (int)AdminPermissions.All));
        return true;
    }
}
