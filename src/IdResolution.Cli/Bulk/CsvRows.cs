using System.Globalization;
using CsvHelper;
using IdResolution.Contracts.V1;

namespace IdResolution.Cli.Bulk;

/// <summary>
/// CSV input (UTF-8, RFC 4180 quoting): a header row whose first column is <c>handle</c> and whose other columns
/// are named <c>&lt;index&gt;:&lt;type&gt;</c> (e.g. <c>1:URL</c>), then one row per handle, each cell a value's string
/// data; empty cells are skipped. A header that does not follow this is an error for the whole file.
/// </summary>
internal static class CsvRows
{
    public static IEnumerable<SourceRow> Read(string path)
    {
        // Malformed quoting is recovered from by the reader and reported here, by the line the record starts on.
        var malformed = new Dictionary<long, CsvMalformedReason>();
        using var reader = CsvReader.Create(File.OpenRead(path), Options(record => malformed.TryAdd(record.LineNumber, record.Reason)));
        var columns = Header(reader, path);
        while (reader.Read())
        {
            var row = reader.RowNumber;
            var line = reader.LineNumber;
            var handle = reader.FieldCount > 0 ? reader.GetString(0) : null;
            if (malformed.Remove(line, out var reason))
            {
                yield return new SourceRow(row, line, handle, null, $"malformed CSV ({reason}): RFC 4180 quotes a field whole and doubles the quotes inside it");
                continue;
            }

            if (reader.FieldCount != columns.Count + 1)
            {
                yield return new SourceRow(row, line, handle, null, $"the row has {reader.FieldCount} fields; the header has {columns.Count + 1}");
                continue;
            }

            if (string.IsNullOrEmpty(handle))
            {
                yield return new SourceRow(row, line, null, null, "the handle column is empty");
                continue;
            }

            var item = new CreateHandleRequest { Handle = handle };
            for (var i = 0; i < columns.Count; i++)
            {
                var cell = reader.GetString(i + 1);
                if (cell.Length > 0)
                {
                    item.Values.Add(new HandleValue { Index = columns[i].Index, Type = columns[i].Type, Data = new ValueData { StringValue = cell } });
                }
            }

            yield return new SourceRow(row, line, handle, item, null);
        }
    }

    public static long Count(string path)
    {
        using var reader = CsvReader.Create(File.OpenRead(path), Options(null));
        long rows = 0;
        while (reader.Read())
        {
            rows++;
        }

        return rows;
    }

    private static CsvReaderOptions Options(Action<CsvMalformedRecord>? malformed) => CsvReaderOptions.Default with
    {
        Separator = ',',
        HasHeader = true,
        Mode = CsvMode.Rfc4180,
        TrackLineNumbers = malformed is not null,
        // Cells are data as written: a pasted space would otherwise register a different identifier silently.
        TrimWhitespace = false,
        MalformedData = CsvMalformedDataHandling.Recover,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        OnMalformedRecord = malformed,
    };

    private static List<(uint Index, string Type)> Header(CsvReader reader, string path)
    {
        reader.ReadHeader();
        var header = reader.Headers;
        if (header is not { Count: > 0 })
        {
            throw CliFailure.Usage($"{path} is empty: a CSV import starts with a header row (handle,1:URL,...)");
        }

        if (!string.Equals(header[0].Trim(), "handle", StringComparison.OrdinalIgnoreCase))
        {
            throw CliFailure.Usage($"the first column of {path} must be named 'handle', not '{header[0]}'");
        }

        var columns = new List<(uint Index, string Type)>();
        foreach (var name in header.Skip(1))
        {
            var colon = name.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !uint.TryParse(name.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                || index is 0 or > int.MaxValue || colon == name.Length - 1)
            {
                throw CliFailure.Usage($"the CSV column '{name}' is not named <index>:<type> (e.g. 1:URL) with an index from 1 to 2147483647");
            }

            if (columns.Exists(column => column.Index == index))
            {
                throw CliFailure.Usage($"the CSV header names index {index} twice");
            }

            columns.Add((index, name[(colon + 1)..]));
        }

        return columns;
    }
}
