using System.Text.RegularExpressions;

namespace IdResolution.Cql.Tests.Server;

/// <summary>A keyspace of the fake cluster: its replication map as system_schema.keyspaces holds it.</summary>
internal sealed record FakeKeyspace(string Name, IReadOnlyDictionary<string, string> Replication)
{
    public int FactorIn(string dataCenter) =>
        Replication.TryGetValue(dataCenter, out var factor) ? int.Parse(factor, System.Globalization.CultureInfo.InvariantCulture)
        : Replication.TryGetValue("replication_factor", out var simple) ? int.Parse(simple, System.Globalization.CultureInfo.InvariantCulture)
        : 0;
}

/// <summary>A table of the fake cluster: its columns in order, with types, and its partition key.</summary>
internal sealed record FakeTable(string Keyspace, string Name, IReadOnlyList<(string Name, FakeColumnType Type)> Columns, IReadOnlyList<string> PartitionKey)
{
    public FakeColumnType? TypeOf(string column) => Columns.FirstOrDefault(c => c.Name == column).Type;
}

/// <summary>
/// One DDL statement as the fake cluster applies it: on the node that ran it at once, on the others
/// after their schema lag, so a statement that reaches a lagging node finds no keyspace or table yet.
/// </summary>
internal sealed record FakeSchemaChange(int Index, FakeKeyspace? Keyspace, FakeTable? Table, string? DroppedKeyspace, IReadOnlyDictionary<int, DateTimeOffset> AppliedAt);

/// <summary>The DDL the fake cluster understands: CREATE KEYSPACE, CREATE TABLE and DROP KEYSPACE, as tests and the store write them.</summary>
internal static partial class FakeSchema
{
    public static IReadOnlyList<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(' or '<':
                    depth++;
                    break;
                case ')' or '>':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(text[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }

        parts.Add(text[start..].Trim());
        return [.. parts.Where(part => part.Length > 0)];
    }

    public static FakeKeyspace? ParseCreateKeyspace(string cql)
    {
        var match = CreateKeyspace().Match(cql);
        if (!match.Success)
        {
            return null;
        }

        var replication = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match pair in ReplicationPair().Matches(match.Groups["map"].Value))
        {
            var key = pair.Groups["key"].Value;
            var value = pair.Groups["value"].Value.Trim('\'');
            replication[key] = key == "class" && !value.Contains('.', StringComparison.Ordinal) ? "org.apache.cassandra.locator." + value : value;
        }

        return new FakeKeyspace(Unquote(match.Groups["name"].Value), replication);
    }

    public static FakeTable? ParseCreateTable(string cql, string? sessionKeyspace)
    {
        var match = CreateTable().Match(cql);
        if (!match.Success)
        {
            return null;
        }

        var keyspace = match.Groups["ks"].Success ? Unquote(match.Groups["ks"].Value) : sessionKeyspace ?? throw new InvalidOperationException("No keyspace for " + cql);
        var body = cql[(match.Index + match.Length)..];
        body = body[..ClosingParenthesis(body)];
        var columns = new List<(string, FakeColumnType)>();
        var partitionKey = new List<string>();
        foreach (var definition in SplitTopLevel(body))
        {
            if (definition.StartsWith("PRIMARY KEY", StringComparison.OrdinalIgnoreCase))
            {
                var key = definition[(definition.IndexOf('(', StringComparison.Ordinal) + 1)..definition.LastIndexOf(')')];
                var first = SplitTopLevel(key)[0];
                partitionKey.AddRange(first.StartsWith('(') ? SplitTopLevel(first.Trim('(', ')')) : [first]);
                continue;
            }

            var space = definition.IndexOf(' ', StringComparison.Ordinal);
            var name = definition[..space];
            var type = definition[(space + 1)..];
            if (type.EndsWith("PRIMARY KEY", StringComparison.OrdinalIgnoreCase))
            {
                type = type[..^"PRIMARY KEY".Length];
                partitionKey.Add(name);
            }

            columns.Add((name, FakeColumnType.Parse(type)));
        }

        return new FakeTable(keyspace, Unquote(match.Groups["name"].Value), columns, partitionKey);
    }

    public static string? ParseDropKeyspace(string cql) => DropKeyspace().Match(cql) is { Success: true } match ? Unquote(match.Groups["name"].Value) : null;

    /// <summary>The table a DML statement or SELECT names, with its keyspace when qualified.</summary>
    public static (string? Keyspace, string Table)? TableOf(string cql) =>
        TableReference().Match(cql) is { Success: true } match
            ? (match.Groups["ks"].Success ? Unquote(match.Groups["ks"].Value) : null, Unquote(match.Groups["name"].Value))
            : null;

    public static string? UseKeyspace(string cql) => Use().Match(cql) is { Success: true } match ? Unquote(match.Groups["name"].Value) : null;

    /// <summary>The column each bind marker stands for, in marker order ("[limit]" for LIMIT ?, "[ttl]" for USING TTL ?, as Cassandra names them).</summary>
    public static IReadOnlyList<string> MarkerColumns(string cql)
    {
        var insert = InsertColumns().Match(cql);
        if (insert.Success)
        {
            var names = SplitTopLevel(insert.Groups["columns"].Value);
            var values = SplitTopLevel(insert.Groups["values"].Value);
            var markers = names.Zip(values).Where(pair => pair.Second == "?").Select(pair => pair.First).ToList();
            markers.AddRange(MarkerColumns(cql[(insert.Index + insert.Length)..]));
            return markers;
        }

        var columns = new List<string>();
        foreach (Match marker in Marker().Matches(cql))
        {
            columns.Add(marker.Groups["limit"].Success ? "[limit]" : marker.Groups["ttl"].Success ? "[ttl]" : marker.Groups["column"].Value);
        }

        return columns;
    }

    private static int ClosingParenthesis(string text)
    {
        var depth = 1;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                return i;
            }
        }

        throw new FormatException("Unbalanced parentheses in " + text);
    }

    private static string Unquote(string name) => name.Trim('"').ToLowerInvariant();

    [GeneratedRegex("""^\s*CREATE\s+KEYSPACE\s+(IF\s+NOT\s+EXISTS\s+)?(?<name>"?\w+"?)\s+WITH\s+replication\s*=\s*\{(?<map>[^}]*)\}""", RegexOptions.IgnoreCase)]
    private static partial Regex CreateKeyspace();

    [GeneratedRegex("""'(?<key>[^']+)'\s*:\s*(?<value>'[^']*'|\d+)""")]
    private static partial Regex ReplicationPair();

    [GeneratedRegex("""^\s*CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?((?<ks>"?\w+"?)\.)?(?<name>"?\w+"?)\s*\(""", RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();

    [GeneratedRegex("""^\s*DROP\s+KEYSPACE\s+(IF\s+EXISTS\s+)?(?<name>"?\w+"?)""", RegexOptions.IgnoreCase)]
    private static partial Regex DropKeyspace();

    [GeneratedRegex("""^\s*USE\s+(?<name>"?\w+"?)""", RegexOptions.IgnoreCase)]
    private static partial Regex Use();

    [GeneratedRegex("""\b(FROM|INTO|UPDATE)\s+((?<ks>"?\w+"?)\.)?(?<name>"?\w+"?)""", RegexOptions.IgnoreCase)]
    private static partial Regex TableReference();

    [GeneratedRegex("""INSERT\s+INTO\s+[\w."]+\s*\((?<columns>[^)]*)\)\s*VALUES\s*\((?<values>[^)]*)\)""", RegexOptions.IgnoreCase)]
    private static partial Regex InsertColumns();

    [GeneratedRegex("""(?:(?<column>\w+)\s*(?:=|<=|>=|<|>)\s*\?)|(?:(?<limit>LIMIT)\s+\?)|(?:(?<ttl>TTL)\s+\?)""", RegexOptions.IgnoreCase)]
    private static partial Regex Marker();
}
