using System.Text;

namespace IdResolution.Cql.Tests.Protocol;

/// <summary>
/// Builds byte sequences by hand, field by field, the way native_protocol_v4.spec §3 lays them out.
/// Deliberately independent of the production writer so tests do not check the code against itself.
/// </summary>
internal sealed class SpecBytes
{
    private readonly List<byte> _bytes = [];

    public SpecBytes Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public SpecBytes Byte(byte value) => Raw(value);

    public SpecBytes Short(int value) => Raw((byte)(value >> 8), (byte)value);

    public SpecBytes Int(int value) => Raw((byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value);

    public SpecBytes Long(long value) =>
        Int((int)(value >> 32)).Int((int)value);

    /// <summary>[string]: [short] length, then UTF-8 bytes.</summary>
    public SpecBytes String(string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        return Short(utf8.Length).Raw(utf8);
    }

    /// <summary>[long string]: [int] length, then UTF-8 bytes.</summary>
    public SpecBytes LongString(string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        return Int(utf8.Length).Raw(utf8);
    }

    public SpecBytes StringList(params string[] values)
    {
        Short(values.Length);
        foreach (var value in values)
        {
            String(value);
        }

        return this;
    }

    /// <summary>[bytes]: [int] length, then the bytes.</summary>
    public SpecBytes Bytes(params byte[] value) => Int(value.Length).Raw(value);

    public SpecBytes ShortBytes(params byte[] value) => Short(value.Length).Raw(value);

    public byte[] ToArray() => [.. _bytes];
}
