using System.Buffers;

namespace IdResolution.Cql.Protocol.Requests;

/// <summary>
/// EXECUTE: [short bytes] prepared id, then the query parameters (native_protocol_v4.spec §4.1.6).
/// v5 inserts the result metadata id between the two.
/// </summary>
internal sealed record ExecuteRequest(ReadOnlyMemory<byte> PreparedId, CqlQueryParameters Parameters) : ICqlRequest
{
    public CqlOpcode Opcode => CqlOpcode.Execute;

    public void WriteBody(IBufferWriter<byte> output)
    {
        output.WriteShortBytes(PreparedId.Span);
        Parameters.Write(output);
    }
}
