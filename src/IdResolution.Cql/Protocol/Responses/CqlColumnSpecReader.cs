namespace IdResolution.Cql.Protocol.Responses;

/// <summary>
/// Reads [&lt;global_table_spec&gt;]&lt;col_spec_1&gt;...&lt;col_spec_n&gt;, shared by Rows and Prepared
/// metadata (native_protocol_v4.spec §4.2.5.2, §4.2.5.4).
/// </summary>
internal static class CqlColumnSpecReader
{
    public static IReadOnlyList<CqlColumnSpec> Read(CqlBodyReader reader, int count, bool globalTableSpec)
    {
        string? globalKeyspace = null;
        string? globalTable = null;
        if (globalTableSpec)
        {
            globalKeyspace = reader.ReadString();
            globalTable = reader.ReadString();
        }

        // Smallest spec: a name length and a type id, plus keyspace and table lengths without a global spec.
        var columns = new CqlColumnSpec[reader.CheckedCount(count, globalTableSpec ? 4 : 8, "column spec")];
        for (var i = 0; i < columns.Length; i++)
        {
            var keyspace = globalKeyspace ?? reader.ReadString();
            var table = globalTable ?? reader.ReadString();
            var name = reader.ReadString();
            columns[i] = new CqlColumnSpec(keyspace, table, name, CqlColumnTypeReader.Read(reader));
        }

        return columns;
    }
}
