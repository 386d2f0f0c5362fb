using System.Buffers;
using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Protocol.Requests;

/// <summary>
/// BATCH: type, statements, consistency, flags, optional serial consistency and timestamp
/// (native_protocol_v4.spec §4.1.7). Named values are never sent: they are broken in BATCH (CASSANDRA-10246).
/// </summary>
internal sealed record BatchRequest(
    CqlBatchType Type,
    IReadOnlyList<CqlBatchStatement> Statements,
    CqlConsistency Consistency,
    CqlConsistency? SerialConsistency = null,
    long? DefaultTimestamp = null) : ICqlRequest
{
    private const byte QueryKind = 0;
    private const byte PreparedKind = 1;

    public CqlOpcode Opcode => CqlOpcode.Batch;

    public void WriteBody(IBufferWriter<byte> output)
    {
        if (Statements.Count > ushort.MaxValue)
        {
            throw new InvalidOperationException($"A batch holds at most {ushort.MaxValue} statements.");
        }

        output.WriteByte((byte)Type);
        output.WriteUnsignedShort((ushort)Statements.Count);
        foreach (var statement in Statements)
        {
            if (statement.Query is { } query)
            {
                output.WriteByte(QueryKind);
                output.WriteLongString(query);
            }
            else
            {
                output.WriteByte(PreparedKind);
                output.WriteShortBytes(statement.PreparedId.Span);
            }

            if (statement.Values.Count > ushort.MaxValue)
            {
                throw new InvalidOperationException($"At most {ushort.MaxValue} values can be bound.");
            }

            // Unlike QUERY, the count is always present, possibly 0.
            output.WriteUnsignedShort((ushort)statement.Values.Count);
            foreach (var value in statement.Values)
            {
                output.WriteValue(value);
            }
        }

        output.WriteConsistency(Consistency);
        var flags = CqlQueryFlags.None;
        if (SerialConsistency is not null)
        {
            flags |= CqlQueryFlags.SerialConsistency;
        }

        if (DefaultTimestamp is not null)
        {
            flags |= CqlQueryFlags.DefaultTimestamp;
        }

        output.WriteByte((byte)flags);
        if (SerialConsistency is { } serial)
        {
            output.WriteConsistency(serial);
        }

        if (DefaultTimestamp is { } timestamp)
        {
            output.WriteLong(timestamp);
        }
    }
}
