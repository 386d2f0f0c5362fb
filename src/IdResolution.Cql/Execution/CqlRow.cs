using IdResolution.Cql.Protocol.Responses;

namespace IdResolution.Cql.Execution;

/// <summary>
/// One row of a result. Cells are decoded when asked for, by the column's type, so a caller that
/// reads two columns of ten pays for two.
/// </summary>
public sealed class CqlRow
{
    private readonly RowsResult _rows;
    private readonly int _index;
    private readonly CqlRowSet _set;

    internal CqlRow(CqlRowSet set, RowsResult rows, int index)
    {
        _set = set;
        _rows = rows;
        _index = index;
    }

    public bool IsNull(string column) => IsNull(_set.IndexOf(column));

    public bool IsNull(int column) => _rows.GetCell(_index, column) is null;

    /// <summary>The cell as <typeparamref name="T"/>: text as string, blob as byte[], bigint as long, uuid as Guid, timestamp as DateTimeOffset, …</summary>
    public T Get<T>(string column) => Get<T>(_set.IndexOf(column));

    public T Get<T>(int column)
    {
        var cell = _rows.GetCell(_index, column) ?? throw new InvalidOperationException($"Column {_set.Columns[column]} is null in this row.");
        var value = CqlValueDecoder.Decode(cell.Span, _rows.Metadata.Columns[column].Type);
        return value is T typed ? typed : throw new InvalidCastException($"Column {_set.Columns[column]} holds a {value.GetType().Name}, not a {typeof(T).Name}.");
    }

    /// <summary>A list or set column as a list of <typeparamref name="T"/>; an empty collection is null on the wire and an empty list here.</summary>
    public IReadOnlyList<T> GetList<T>(string column)
    {
        var index = _set.IndexOf(column);
        return IsNull(index) ? [] : [.. Get<IReadOnlyList<object>>(index).Cast<T>()];
    }
}
