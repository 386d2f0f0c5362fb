using System.Buffers.Binary;
using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Protocol;

/// <summary>
/// The 9-byte frame header: version, flags, stream, opcode, body length (native_protocol_v4.spec §2).
/// <paramref name="Version"/> is the protocol version without the direction bit, so v3/v5 negotiation only
/// changes the number passed in.
/// </summary>
internal readonly record struct CqlFrameHeader(
    byte Version,
    bool IsResponse,
    CqlFrameFlags Flags,
    short StreamId,
    CqlOpcode Opcode,
    int BodyLength)
{
    public const int Size = 9;

    /// <summary>The 256 MB frame limit of native_protocol_v4.spec §2.5; servers may configure a lower one.</summary>
    public const int DefaultMaxBodyLength = 256 * 1024 * 1024;

    private const byte ResponseBit = 0x80;

    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"A frame header needs {Size} bytes.", nameof(destination));
        }

        if (Version is 0 or >= ResponseBit)
        {
            throw new InvalidOperationException($"Protocol version {Version} cannot be encoded.");
        }

        destination[0] = (byte)(Version | (IsResponse ? ResponseBit : 0));
        destination[1] = (byte)Flags;
        BinaryPrimitives.WriteInt16BigEndian(destination[2..], StreamId);
        destination[4] = (byte)Opcode;
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], BodyLength);
    }

    /// <summary>
    /// Decodes and validates a header. Any version number is accepted because a server refusing ours
    /// answers in its own (cql-protocol.md §1.3); the caller decides what to do with it.
    /// </summary>
    public static CqlFrameHeader Read(ReadOnlySpan<byte> source, bool expectResponse, int maxBodyLength = DefaultMaxBodyLength)
    {
        if (source.Length < Size)
        {
            throw new CqlProtocolException($"A frame header needs {Size} bytes, got {source.Length}.");
        }

        var isResponse = (source[0] & ResponseBit) != 0;
        if (isResponse != expectResponse)
        {
            throw new CqlProtocolException(
                $"Frame version byte 0x{source[0]:X2} has the wrong direction: expected a {(expectResponse ? "response" : "request")}.");
        }

        var version = (byte)(source[0] & ~ResponseBit);
        if (version == 0)
        {
            throw new CqlProtocolException("Frame version 0 does not exist.");
        }

        var opcode = (CqlOpcode)source[4];
        if (!Enum.IsDefined(opcode))
        {
            throw new CqlProtocolException($"Unknown opcode 0x{source[4]:X2}.");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(source[5..]);
        if (length < 0 || length > maxBodyLength)
        {
            throw new CqlProtocolException($"Frame body length {length} is outside 0..{maxBodyLength}.");
        }

        return new CqlFrameHeader(
            version,
            isResponse,
            (CqlFrameFlags)source[1],
            BinaryPrimitives.ReadInt16BigEndian(source[2..]),
            opcode,
            length);
    }
}
