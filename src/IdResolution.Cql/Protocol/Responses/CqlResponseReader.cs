using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Protocol.Responses;

/// <summary>Decodes a response message body by opcode (native_protocol_v4.spec §4.2).</summary>
internal static class CqlResponseReader
{
    /// <summary>Trailing bytes after the message are ignored, as the spec asks of clients (§1).</summary>
    public static CqlResponse Read(CqlOpcode opcode, ReadOnlyMemory<byte> message)
    {
        var reader = new CqlBodyReader(message);
        return opcode switch
        {
            CqlOpcode.Error => new ErrorResponse(CqlErrorReader.Read(reader)),
            CqlOpcode.Ready => new ReadyResponse(),
            CqlOpcode.Authenticate => new AuthenticateResponse(reader.ReadString()),
            CqlOpcode.Supported => new SupportedResponse(reader.ReadStringMultimap()),
            CqlOpcode.Result => ReadResult(reader),
            CqlOpcode.Event => new EventResponse(CqlEvent.Read(reader)),
            CqlOpcode.AuthChallenge => new AuthChallengeResponse(reader.ReadBytes()),
            CqlOpcode.AuthSuccess => new AuthSuccessResponse(reader.ReadBytes()),
            _ => throw new CqlProtocolException($"Opcode {opcode} is not a response."),
        };
    }

    private static CqlResponse ReadResult(CqlBodyReader reader)
    {
        var kind = reader.ReadInt();
        return (CqlResultKind)kind switch
        {
            CqlResultKind.Void => new VoidResult(),
            CqlResultKind.Rows => RowsResult.Read(reader),
            CqlResultKind.SetKeyspace => new SetKeyspaceResult(reader.ReadString()),
            CqlResultKind.Prepared => PreparedResult.Read(reader),
            CqlResultKind.SchemaChange => new SchemaChangeResult(CqlSchemaChange.Read(reader)),
            _ => throw new CqlProtocolException($"Unknown result kind 0x{kind:X4}."),
        };
    }
}
