using System.Buffers;

namespace IdResolution.Cql.Protocol.Requests;

/// <summary>Writes a whole request frame: header, then body (native_protocol_v4.spec §1, §2).</summary>
internal static class CqlRequestFrameWriter
{
    public static void Write(
        IBufferWriter<byte> output,
        byte protocolVersion,
        short streamId,
        ICqlRequest request,
        CqlFrameFlags flags = CqlFrameFlags.None,
        int maxBodyLength = CqlFrameHeader.DefaultMaxBodyLength)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(request);

        // Negative ids belong to the server (§2.3).
        ArgumentOutOfRangeException.ThrowIfNegative(streamId);

        // The header carries the body length, so the body is laid out first.
        var body = new ArrayBufferWriter<byte>();
        request.WriteBody(body);
        if (body.WrittenCount > maxBodyLength)
        {
            throw new InvalidOperationException($"A {request.Opcode} body of {body.WrittenCount} bytes exceeds the {maxBodyLength}-byte frame limit.");
        }

        var header = new CqlFrameHeader(protocolVersion, IsResponse: false, flags, streamId, request.Opcode, body.WrittenCount);
        header.Write(output.GetSpan(CqlFrameHeader.Size));
        output.Advance(CqlFrameHeader.Size);
        output.Write(body.WrittenSpan);
    }
}
