using System.Buffers;
using IdResolution.Cql.Protocol.Requests;

namespace IdResolution.Cql.Tests.Protocol;

internal static class RequestEncoding
{
    public static byte[] Body(ICqlRequest request)
    {
        var output = new ArrayBufferWriter<byte>();
        request.WriteBody(output);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Frame(ICqlRequest request, short streamId)
    {
        var output = new ArrayBufferWriter<byte>();
        CqlRequestFrameWriter.Write(output, 4, streamId, request);
        return output.WrittenSpan.ToArray();
    }
}
