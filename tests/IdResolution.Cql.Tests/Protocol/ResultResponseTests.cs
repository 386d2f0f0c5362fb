using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Protocol.Responses;

namespace IdResolution.Cql.Tests.Protocol;

public sealed class ResultResponseTests
{
    // native_protocol_v4.spec §4.2.5.2 (Rows): flags Global_tables_spec|Has_more_pages, 2 columns,
    // paging state, global spec ks.users, columns name:varchar and scores:list<int>, then 2 rows.
    private static SpecBytes RowsBody() => new SpecBytes()
        .Int(0x0002) // kind Rows
        .Int(0x0001 | 0x0002)
        .Int(2)
        .Bytes(0x01, 0x02, 0x03) // paging_state
        .String("ks").String("users")
        .String("name").Short(0x000D)
        .String("scores").Short(0x0020).Short(0x0009)
        .Int(2) // rows_count
        .Bytes((byte)'a', (byte)'n', (byte)'n').Bytes(0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 7) // row 1: "ann", [7]
        .Bytes((byte)'b', (byte)'o').Int(-1); // row 2: "bo", null

    // native_protocol_v4.spec §4.2.5.4 (Prepared): id, bind metadata with pk indexes [1, 0], result metadata.
    private static SpecBytes PreparedBody() => new SpecBytes()
        .Int(0x0004) // kind Prepared
        .ShortBytes(0xAA, 0xBB)
        .Int(0x0001) // Global_tables_spec
        .Int(2) // bind markers
        .Int(2).Short(1).Short(0) // pk_count 2, pk indexes
        .String("ks").String("t")
        .String("b").Short(0x0009)
        .String("a").Short(0x000C)
        .Int(0x0004).Int(0); // result metadata: No_metadata, 0 columns (a non-SELECT)

    [Fact]
    public void Rows_with_global_spec_paging_and_a_null_cell()
    {
        var rows = Assert.IsType<RowsResult>(CqlResponseReader.Read(CqlOpcode.Result, RowsBody().ToArray()));

        Assert.True(rows.Metadata.HasMorePages);
        Assert.Equal(new byte[] { 1, 2, 3 }, rows.Metadata.PagingState!.Value.ToArray());
        Assert.Equal(2, rows.Metadata.ColumnCount);
        Assert.Equal(("ks", "users", "name", CqlColumnTypeCode.Varchar), (rows.Metadata.Columns[0].Keyspace, rows.Metadata.Columns[0].Table, rows.Metadata.Columns[0].Name, rows.Metadata.Columns[0].Type.Code));
        Assert.Equal(("ks", "users", "scores"), (rows.Metadata.Columns[1].Keyspace, rows.Metadata.Columns[1].Table, rows.Metadata.Columns[1].Name));
        Assert.Equal(CqlColumnTypeCode.List, rows.Metadata.Columns[1].Type.Code);
        Assert.Equal(CqlColumnTypeCode.Int, Assert.Single(rows.Metadata.Columns[1].Type.Arguments).Code);
        Assert.Equal(2, rows.RowCount);
        Assert.Equal("ann"u8.ToArray(), rows.GetCell(0, 0)!.Value.ToArray());
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 7 }, rows.GetCell(0, 1)!.Value.ToArray());
        Assert.Equal("bo"u8.ToArray(), rows.GetCell(1, 0)!.Value.ToArray());
        Assert.Null(rows.GetCell(1, 1));
    }

    [Fact]
    public void Rows_without_global_spec_read_a_table_spec_per_column()
    {
        // §4.2.5.2: without Global_tables_spec each column is <ksname><tablename><name><type>.
        var body = new SpecBytes()
            .Int(0x0002).Int(0).Int(1)
            .String("ks").String("t").String("c").Short(0x0002)
            .Int(1).Bytes(0, 0, 0, 0, 0, 0, 0, 9)
            .ToArray();

        var rows = Assert.IsType<RowsResult>(CqlResponseReader.Read(CqlOpcode.Result, body));

        Assert.False(rows.Metadata.HasMorePages);
        Assert.Null(rows.Metadata.PagingState);
        Assert.Equal(("ks", "t", "c", CqlColumnTypeCode.Bigint), (rows.Metadata.Columns[0].Keyspace, rows.Metadata.Columns[0].Table, rows.Metadata.Columns[0].Name, rows.Metadata.Columns[0].Type.Code));
        Assert.Equal(1, rows.RowCount);
    }

    [Fact]
    public void Rows_with_no_metadata_still_know_the_column_count()
    {
        // §4.2.5.2: No_metadata leaves only flags, count and paging state.
        var body = new SpecBytes().Int(0x0002).Int(0x0004).Int(2).Int(1).Bytes(1).Bytes(2).ToArray();

        var rows = Assert.IsType<RowsResult>(CqlResponseReader.Read(CqlOpcode.Result, body));

        Assert.Empty(rows.Metadata.Columns);
        Assert.Equal(new byte[] { 2 }, rows.GetCell(0, 1)!.Value.ToArray());
    }

    [Fact]
    public void Nested_map_set_udt_tuple_and_custom_types_parse_into_a_tree()
    {
        // §4.2.5.2 type options: map<text, frozen<set<uuid>>>, udt ks.addr {street text, zip int},
        // tuple<int, blob>, custom 'x.Y'.
        var body = new SpecBytes()
            .Int(0x0002).Int(0x0001).Int(4).String("ks").String("t")
            .String("m").Short(0x0021).Short(0x000D).Short(0x0022).Short(0x000C)
            .String("u").Short(0x0030).String("ks").String("addr").Short(2)
            .String("street").Short(0x000D).String("zip").Short(0x0009)
            .String("p").Short(0x0031).Short(2).Short(0x0009).Short(0x0003)
            .String("c").Short(0x0000).String("x.Y")
            .Int(0)
            .ToArray();

        var columns = Assert.IsType<RowsResult>(CqlResponseReader.Read(CqlOpcode.Result, body)).Metadata.Columns;

        var map = columns[0].Type;
        Assert.Equal(CqlColumnTypeCode.Map, map.Code);
        Assert.Equal(CqlColumnTypeCode.Varchar, map.Arguments[0].Code);
        Assert.Equal(CqlColumnTypeCode.Set, map.Arguments[1].Code);
        Assert.Equal(CqlColumnTypeCode.Uuid, map.Arguments[1].Arguments[0].Code);

        var udt = columns[1].Type;
        Assert.Equal((CqlColumnTypeCode.Udt, "ks", "addr"), (udt.Code, udt.UdtKeyspace, udt.UdtName));
        Assert.Equal(["street", "zip"], udt.FieldNames!);
        Assert.Equal([CqlColumnTypeCode.Varchar, CqlColumnTypeCode.Int], udt.Arguments.Select(a => a.Code));

        Assert.Equal([CqlColumnTypeCode.Int, CqlColumnTypeCode.Blob], columns[2].Type.Arguments.Select(a => a.Code));
        Assert.Equal("x.Y", columns[3].Type.CustomClassName);
    }

    [Fact]
    public void Prepared_exposes_id_partition_key_indexes_and_bind_markers()
    {
        var prepared = Assert.IsType<PreparedResult>(CqlResponseReader.Read(CqlOpcode.Result, PreparedBody().ToArray()));

        Assert.Equal(new byte[] { 0xAA, 0xBB }, prepared.Id.ToArray());
        Assert.Equal([(short)1, (short)0], prepared.PartitionKeyIndexes);
        Assert.Equal(["b", "a"], prepared.BindMarkers.Select(m => m.Name));
        Assert.All(prepared.BindMarkers, m => Assert.Equal(("ks", "t"), (m.Keyspace, m.Table)));
        Assert.Equal([CqlColumnTypeCode.Int, CqlColumnTypeCode.Uuid], prepared.BindMarkers.Select(m => m.Type.Code));
        Assert.Equal(CqlRowsFlags.NoMetadata, prepared.ResultMetadata.Flags);
        Assert.Equal(0, prepared.ResultMetadata.ColumnCount);
    }

    [Fact]
    public void Void_set_keyspace_and_schema_change_results()
    {
        // §4.2.5.1, §4.2.5.3, §4.2.5.5.
        Assert.IsType<VoidResult>(CqlResponseReader.Read(CqlOpcode.Result, new SpecBytes().Int(1).ToArray()));
        Assert.Equal("ks", Assert.IsType<SetKeyspaceResult>(CqlResponseReader.Read(CqlOpcode.Result, new SpecBytes().Int(3).String("ks").ToArray())).Keyspace);

        var change = Assert.IsType<SchemaChangeResult>(
            CqlResponseReader.Read(CqlOpcode.Result, new SpecBytes().Int(5).String("CREATED").String("TABLE").String("ks").String("t").ToArray())).Change;
        Assert.Equal(("CREATED", "TABLE", "ks", "t"), (change.ChangeType, change.Target, change.Keyspace, change.Name));
    }

    [Fact]
    public void An_unknown_result_kind_is_a_protocol_error()
    {
        Assert.Throws<CqlProtocolException>(() => CqlResponseReader.Read(CqlOpcode.Result, new SpecBytes().Int(9).ToArray()));
    }

    [Fact]
    public void Every_truncation_of_rows_and_prepared_is_a_protocol_error()
    {
        Truncation.AssertEveryPrefixIsAProtocolError(CqlOpcode.Result, RowsBody().ToArray());
        Truncation.AssertEveryPrefixIsAProtocolError(CqlOpcode.Result, PreparedBody().ToArray());
        Truncation.AssertEveryPrefixIsAProtocolError(
            CqlOpcode.Result, new SpecBytes().Int(5).String("CREATED").String("FUNCTION").String("ks").String("f").StringList("int").ToArray());
    }
}
