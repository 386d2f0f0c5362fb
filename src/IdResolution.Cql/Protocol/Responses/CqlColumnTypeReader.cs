using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Protocol.Responses;

/// <summary>Reads a type [option] recursively (native_protocol_v4.spec §4.2.5.2).</summary>
internal static class CqlColumnTypeReader
{
    // Real schemas nest a handful of levels; the bound keeps hostile input from exhausting the stack.
    private const int MaxDepth = 64;

    public static CqlColumnType Read(CqlBodyReader reader) => Read(reader, 0);

    private static CqlColumnType Read(CqlBodyReader reader, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new CqlProtocolException($"Column type nests deeper than {MaxDepth} levels.");
        }

        var id = reader.ReadUnsignedShort();
        var code = (CqlColumnTypeCode)id;
        switch (code)
        {
            case CqlColumnTypeCode.Custom:
                return new CqlColumnType(code, [], CustomClassName: reader.ReadString());
            case CqlColumnTypeCode.List or CqlColumnTypeCode.Set:
                return new CqlColumnType(code, [Read(reader, depth + 1)]);
            case CqlColumnTypeCode.Map:
                var key = Read(reader, depth + 1);
                return new CqlColumnType(code, [key, Read(reader, depth + 1)]);
            case CqlColumnTypeCode.Udt:
                return ReadUdt(reader, depth);
            case CqlColumnTypeCode.Tuple:
                // Each component is at least its 2-byte id.
                var count = reader.CheckedCount(reader.ReadUnsignedShort(), 2, "tuple component");
                var components = new CqlColumnType[count];
                for (var i = 0; i < count; i++)
                {
                    components[i] = Read(reader, depth + 1);
                }

                return new CqlColumnType(code, components);
            default:
                // An unknown id cannot be skipped: its option value has no length prefix.
                return Enum.IsDefined(code)
                    ? CqlColumnType.Native(code)
                    : throw new CqlProtocolException($"Unknown column type id 0x{id:X4}.");
        }
    }

    private static CqlColumnType ReadUdt(CqlBodyReader reader, int depth)
    {
        var keyspace = reader.ReadString();
        var name = reader.ReadString();

        // Each field is at least a 2-byte name length and a 2-byte type id.
        var count = reader.CheckedCount(reader.ReadUnsignedShort(), 4, "UDT field");
        var names = new string[count];
        var types = new CqlColumnType[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = reader.ReadString();
            types[i] = Read(reader, depth + 1);
        }

        return new CqlColumnType(CqlColumnTypeCode.Udt, types, UdtKeyspace: keyspace, UdtName: name, FieldNames: names);
    }
}
