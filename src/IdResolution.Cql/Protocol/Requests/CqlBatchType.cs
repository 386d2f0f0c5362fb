namespace IdResolution.Cql.Protocol.Requests;

/// <summary>BATCH &lt;type&gt; (native_protocol_v4.spec §4.1.7).</summary>
internal enum CqlBatchType : byte
{
    Logged = 0,
    Unlogged = 1,
    Counter = 2,
}
