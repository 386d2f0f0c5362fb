using System.Runtime.CompilerServices;
using IdResolution.Core.Storage;

namespace IdResolution.Storage.Cassandra;

/// <summary>
/// A dump of the handles table by token ranges (<see cref="CassandraStatements.SelectRecordsAfterToken"/>),
/// page after page, holding nothing open between pages. Two keys with one token (a Murmur3 collision, one
/// chance in 2^64 per pair) lose the second only when a page ends between them.
/// </summary>
internal sealed class TokenScanDump(ICassandraSession session, long position) : IDump
{
    private const int PageSize = 1000;

    public long Position => position;

    public async IAsyncEnumerable<DumpEntry> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = long.MinValue;
        while (true)
        {
            var rows = await session.ReadRecordsAfterTokenAsync(after, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                if (row.Record is not null && ChangeFeedScope.Includes(row.Key))
                {
                    yield return new DumpEntry(row.Key, WriteOutcomes.Decode(row.Key, row.Record));
                }
            }

            if (rows.Count < PageSize)
            {
                yield break;
            }

            after = rows[^1].Token;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
