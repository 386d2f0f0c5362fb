using System.Buffers.Binary;
using System.Text;

namespace IdResolution.Storage.Embedded;

/// <summary>
/// The escrow's key spaces, apart from the node's own (<see cref="KeyLayout"/>): a child's records under
/// <c>e:node/key</c> (a node id holds no slash, so <c>e:node/</c> up to <c>e:node0</c> is exactly that child's
/// copy; '0' is the byte after '/'), and where each copy stands under <c>g:node</c>.
/// </summary>
internal static class EscrowKeys
{
    public static readonly byte[] PositionSpaceStart = "g:"u8.ToArray();

    public static readonly byte[] PositionSpaceEnd = "g;"u8.ToArray();

    // Value of a position: applied (8), applied-at Unix milliseconds (8, long.MinValue before the first), dump open (1).
    private const int PositionBytes = 17;

    public static byte[] Record(string node, string key) => Compose("e:", node + "/" + key);

    public static byte[] NodeStart(string node) => Compose("e:", node + "/");

    public static byte[] NodeEnd(string node) => Compose("e:", node + "0");

    /// <summary>The record key of an escrow key of <paramref name="node"/>.</summary>
    public static string KeyOf(string node, ReadOnlySpan<byte> escrowKey) => KeyLayout.Utf8.GetString(escrowKey[(2 + KeyLayout.Utf8.GetByteCount(node) + 1)..]);

    public static byte[] Position(string node) => Compose("g:", node);

    public static string NodeOfPosition(ReadOnlySpan<byte> positionKey) => KeyLayout.Utf8.GetString(positionKey[2..]);

    public static byte[] EncodePosition(long applied, DateTimeOffset? appliedAt, bool dumpOpen)
    {
        var bytes = new byte[PositionBytes];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, applied);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), appliedAt?.ToUnixTimeMilliseconds() ?? long.MinValue);
        bytes[16] = dumpOpen ? (byte)1 : (byte)0;
        return bytes;
    }

    public static Core.Escrow.EscrowPosition DecodePosition(byte[]? bytes, string node)
    {
        if (bytes is null)
        {
            return new Core.Escrow.EscrowPosition(0, DumpOpen: false, AppliedAt: null);
        }

        if (bytes.Length != PositionBytes)
        {
            throw new InvalidDataException($"The escrow position of node '{node}' ({bytes.Length} bytes) is damaged.");
        }

        var at = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
        return new Core.Escrow.EscrowPosition(BinaryPrimitives.ReadInt64LittleEndian(bytes), bytes[16] == 1,
            at == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(at));
    }

    private static byte[] Compose(string space, string text)
    {
        var bytes = new byte[space.Length + KeyLayout.Utf8.GetByteCount(text)];
        var written = Encoding.ASCII.GetBytes(space, bytes);
        KeyLayout.Utf8.GetBytes(text, bytes.AsSpan(written));
        return bytes;
    }
}
