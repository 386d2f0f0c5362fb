using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Protocol.Responses;

/// <summary>
/// A response frame with its optional prefixes read off: the body is
/// [tracing id][warnings][custom payload] message, each present only under its flag (native_protocol_v4.spec §2.2).
/// </summary>
internal sealed record CqlResponseFrame(
    CqlFrameHeader Header,
    Guid? TracingId,
    IReadOnlyList<string> Warnings,
    IReadOnlyDictionary<string, ReadOnlyMemory<byte>?>? CustomPayload,
    CqlResponse Message)
{
    /// <summary>
    /// Parses an uncompressed body. A compressed one must be decompressed, and the flag cleared, by the
    /// caller, which alone knows the algorithm negotiated in STARTUP.
    /// </summary>
    public static CqlResponseFrame Read(CqlFrameHeader header, ReadOnlyMemory<byte> body)
    {
        if (!header.IsResponse)
        {
            throw new CqlProtocolException("A request frame is not a response.");
        }

        if ((header.Flags & CqlFrameFlags.Compression) != 0)
        {
            throw new CqlProtocolException("The body is still compressed.");
        }

        if (body.Length != header.BodyLength)
        {
            throw new CqlProtocolException($"The header announces {header.BodyLength} body bytes, got {body.Length}.");
        }

        var reader = new CqlBodyReader(body);
        Guid? tracingId = (header.Flags & CqlFrameFlags.Tracing) != 0 ? reader.ReadUuid() : null;
        var warnings = (header.Flags & CqlFrameFlags.Warning) != 0 ? reader.ReadStringList() : [];
        var payload = (header.Flags & CqlFrameFlags.CustomPayload) != 0 ? reader.ReadBytesMap() : null;
        var message = CqlResponseReader.Read(header.Opcode, body[(body.Length - reader.Remaining)..]);
        return new CqlResponseFrame(header, tracingId, warnings, payload, message);
    }
}
