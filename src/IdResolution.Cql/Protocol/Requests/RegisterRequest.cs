using System.Buffers;

namespace IdResolution.Cql.Protocol.Requests;

/// <summary>REGISTER: a [string list] of event types, answered by READY (native_protocol_v4.spec §4.1.8).</summary>
internal sealed record RegisterRequest(IReadOnlyList<string> EventTypes) : ICqlRequest
{
    public CqlOpcode Opcode => CqlOpcode.Register;

    public void WriteBody(IBufferWriter<byte> output) => output.WriteStringList(EventTypes);
}
