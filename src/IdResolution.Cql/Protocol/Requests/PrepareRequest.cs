using System.Buffers;

namespace IdResolution.Cql.Protocol.Requests;

/// <summary>PREPARE: the query as a [long string] (native_protocol_v4.spec §4.1.5).</summary>
internal sealed record PrepareRequest(string Query) : ICqlRequest
{
    public CqlOpcode Opcode => CqlOpcode.Prepare;

    public void WriteBody(IBufferWriter<byte> output) => output.WriteLongString(Query);
}
