using System.Buffers;

namespace IdResolution.Cql.Protocol.Requests;

/// <summary>QUERY: [long string] query, then the query parameters (native_protocol_v4.spec §4.1.4).</summary>
internal sealed record QueryRequest(string Query, CqlQueryParameters Parameters) : ICqlRequest
{
    public CqlOpcode Opcode => CqlOpcode.Query;

    public void WriteBody(IBufferWriter<byte> output)
    {
        output.WriteLongString(Query);
        Parameters.Write(output);
    }
}
