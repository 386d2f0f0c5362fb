using System.Collections;
using IdResolution.Cql.Protocol.Responses;

namespace IdResolution.Cql.Execution;

/// <summary>One page of a result, with what is needed to ask for the next.</summary>
public sealed class CqlRowSet : IReadOnlyList<CqlRow>
{
    /// <summary>The column a lightweight transaction adds to say whether its condition held.</summary>
    public const string AppliedColumn = "[applied]";

    private static readonly CqlRowSet EmptySet = new(null);
    private readonly RowsResult? _rows;
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);

    internal CqlRowSet(RowsResult? rows)
    {
        _rows = rows;
        Columns = rows is null ? [] : [.. rows.Metadata.Columns.Select(column => column.Name)];
        for (var i = 0; i < Columns.Count; i++)
        {
            _indexes.TryAdd(Columns[i], i);
        }
    }

    public IReadOnlyList<string> Columns { get; }

    public int Count => _rows?.RowCount ?? 0;

    /// <summary>Opaque: give it back in the statement to read the next page. Null on the last page.</summary>
    public byte[]? PagingState => _rows?.Metadata.PagingState?.ToArray();

    public bool HasMorePages => _rows?.Metadata.HasMorePages ?? false;

    /// <summary>
    /// For a conditional statement (<c>IF NOT EXISTS</c>, <c>IF col = ?</c>): whether it was applied.
    /// When it was not, the row holds the current values of the conditioned columns.
    /// </summary>
    public bool WasApplied => Count == 0 || !_indexes.ContainsKey(AppliedColumn) || this[0].Get<bool>(AppliedColumn);

    internal static CqlRowSet Empty => EmptySet;

    public CqlRow this[int index] => _rows is not null && (uint)index < (uint)_rows.RowCount
        ? new CqlRow(this, _rows, index)
        : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<CqlRow> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal int IndexOf(string column) =>
        _indexes.TryGetValue(column, out var index) ? index : throw new ArgumentException($"The result has no column {column}.", nameof(column));
}
