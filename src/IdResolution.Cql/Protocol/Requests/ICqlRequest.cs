using System.Buffers;

namespace IdResolution.Cql.Protocol.Requests;

/// <summary>A request message: its opcode and how its body is laid out (v4 layouts).</summary>
internal interface ICqlRequest
{
    CqlOpcode Opcode { get; }

    void WriteBody(IBufferWriter<byte> output);
}
