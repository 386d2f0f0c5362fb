using System.Buffers;

namespace IdResolution.Cql.Protocol.Requests;

/// <summary>STARTUP: a [string map] of options, CQL_VERSION mandatory (native_protocol_v4.spec §4.1.1).</summary>
internal sealed record StartupRequest(string? Compression = null) : ICqlRequest
{
    public const string CqlVersion = "3.0.0";

    public CqlOpcode Opcode => CqlOpcode.Startup;

    public void WriteBody(IBufferWriter<byte> output)
    {
        var options = new List<KeyValuePair<string, string>> { new("CQL_VERSION", CqlVersion) };
        if (Compression is not null)
        {
            options.Add(new("COMPRESSION", Compression));
        }

        output.WriteStringMap(options);
    }
}
