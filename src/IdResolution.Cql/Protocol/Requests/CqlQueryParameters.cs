using System.Buffers;
using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Protocol.Requests;

/// <summary>
/// The &lt;query_parameters&gt; shared by QUERY and EXECUTE (native_protocol_v4.spec §4.1.4). Values are
/// positional only; named values are not offered.
/// </summary>
internal sealed record CqlQueryParameters(
    CqlConsistency Consistency,
    IReadOnlyList<CqlValue>? Values = null,
    bool SkipMetadata = false,
    int? PageSize = null,
    ReadOnlyMemory<byte>? PagingState = null,
    CqlConsistency? SerialConsistency = null,
    long? DefaultTimestamp = null)
{
    public void Write(IBufferWriter<byte> output)
    {
        output.WriteConsistency(Consistency);
        output.WriteByte((byte)Flags());

        // Field order is fixed by the spec and follows the flag bit order.
        if (Values is { Count: > 0 })
        {
            if (Values.Count > ushort.MaxValue)
            {
                throw new InvalidOperationException($"At most {ushort.MaxValue} values can be bound.");
            }

            output.WriteUnsignedShort((ushort)Values.Count);
            foreach (var value in Values)
            {
                output.WriteValue(value);
            }
        }

        if (PageSize is { } pageSize)
        {
            output.WriteInt(pageSize);
        }

        if (PagingState is { } pagingState)
        {
            output.WriteBytes(pagingState);
        }

        if (SerialConsistency is { } serial)
        {
            output.WriteConsistency(serial);
        }

        if (DefaultTimestamp is { } timestamp)
        {
            output.WriteLong(timestamp);
        }
    }

    private CqlQueryFlags Flags()
    {
        var flags = CqlQueryFlags.None;
        if (Values is { Count: > 0 })
        {
            flags |= CqlQueryFlags.Values;
        }

        if (SkipMetadata)
        {
            flags |= CqlQueryFlags.SkipMetadata;
        }

        if (PageSize is not null)
        {
            flags |= CqlQueryFlags.PageSize;
        }

        if (PagingState is not null)
        {
            flags |= CqlQueryFlags.PagingState;
        }

        if (SerialConsistency is not null)
        {
            flags |= CqlQueryFlags.SerialConsistency;
        }

        if (DefaultTimestamp is not null)
        {
            flags |= CqlQueryFlags.DefaultTimestamp;
        }

        return flags;
    }
}
