using System.Buffers;
using IdResolution.Cql.Protocol;

namespace IdResolution.Cql.Tests.Server;

/// <summary>Prepared results with bind markers, for the session's prepare and re-prepare paths (test fixture).</summary>
internal static class PreparedReplies
{
    /// <summary>RESULT Prepared (v4 layout): one varchar marker that is the partition key, no result metadata.</summary>
    public static ServerReply OneTextMarker(byte[] id)
    {
        var body = new ArrayBufferWriter<byte>();
        body.WriteInt(0x0004);
        body.WriteShortBytes(id);
        body.WriteInt(0x0001); // Global_tables_spec
        body.WriteInt(1);      // one bind marker
        body.WriteInt(1);      // one partition key column ...
        body.WriteShort(0);    // ... bound by marker 0
        body.WriteString("ks");
        body.WriteString("t");
        body.WriteString("key");
        body.WriteShort(0x000D);
        body.WriteInt(0x0004); // result metadata: No_metadata
        body.WriteInt(1);
        return new FrameReply(CqlOpcode.Result, body.WrittenSpan.ToArray());
    }
}
