using System.Buffers;

namespace IdResolution.Cql.Protocol.Requests;

/// <summary>OPTIONS: an empty body, answered by SUPPORTED (native_protocol_v4.spec §4.1.3).</summary>
internal sealed record OptionsRequest : ICqlRequest
{
    public CqlOpcode Opcode => CqlOpcode.Options;

    public void WriteBody(IBufferWriter<byte> output)
    {
    }
}
