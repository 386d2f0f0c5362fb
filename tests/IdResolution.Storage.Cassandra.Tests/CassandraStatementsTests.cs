using System.Text.RegularExpressions;

namespace IdResolution.Storage.Cassandra.Tests;

/// <summary>The statements against the schema, so a renamed column fails here and not at prepare time on a cluster.</summary>
public sealed partial class CassandraStatementsTests
{
    private static readonly Dictionary<string, HashSet<string>> Tables = ColumnsOfSchema();

    public static TheoryData<string> StoreStatements() => [.. CassandraStatements.Prepared.Where(s => s != CassandraStatements.Health).Append(CassandraStatements.DeleteListing)];

    [Theory]
    [MemberData(nameof(StoreStatements))]
    public void Each_statement_names_a_table_and_columns_the_schema_creates(string statement)
    {
        var table = TableOf().Match(statement).Groups["table"].Value;

        Assert.True(Tables.TryGetValue(table, out var columns), $"no table '{table}' in the schema");
        Assert.All(ColumnsOf(statement), column => Assert.Contains(column, columns));
    }

    [Fact]
    public void Writes_to_handles_are_all_conditional_and_writes_to_the_listing_never_are()
    {
        string[] handleWrites = [CassandraStatements.InsertRecord, CassandraStatements.UpdateRecord, CassandraStatements.DeleteRecord];
        string[] listingWrites = [CassandraStatements.InsertListing, CassandraStatements.DeleteListing];

        Assert.All(handleWrites, s => Assert.Matches(@" IF (NOT EXISTS|version = \?)$", s));
        Assert.All(listingWrites, s => Assert.DoesNotContain(" IF ", s, StringComparison.Ordinal));
    }

    [Fact]
    public void Leases_are_written_only_conditionally_and_the_change_log_and_cursors_never_are()
    {
        string[] leaseWrites = [CassandraStatements.InsertLease, CassandraStatements.RenewLease, CassandraStatements.DeleteLease];
        string[] plainWrites = [CassandraStatements.InsertChange, CassandraStatements.UpsertCursor];

        Assert.All(leaseWrites, s => Assert.Matches(@" IF (NOT EXISTS USING TTL \?|owner = \?)$", s));
        Assert.All(plainWrites, s => Assert.DoesNotContain(" IF ", s, StringComparison.Ordinal));
        Assert.EndsWith(" USING TTL ?", CassandraStatements.InsertChange, StringComparison.Ordinal);
    }

    [Fact]
    public void A_change_log_read_is_one_hour_between_two_positions_with_a_limit() =>
        Assert.EndsWith("WHERE bucket = ? AND position > ? AND position <= ? LIMIT ?", CassandraStatements.SelectChanges, StringComparison.Ordinal);

    [Fact]
    public void A_listing_page_is_one_bucket_after_a_key_with_a_limit() =>
        Assert.EndsWith("WHERE prefix = ? AND bucket = ? AND key > ? LIMIT ?", CassandraStatements.SelectListingPage, StringComparison.Ordinal);

    [Fact]
    public void Statements_leave_the_keyspace_to_the_session()
    {
        Assert.All(CassandraStatements.Prepared.Where(s => s != CassandraStatements.Health), s => Assert.DoesNotContain("idresolution.", s, StringComparison.Ordinal));
        Assert.Equal(CassandraStatements.Prepared.Count, CassandraStatements.Prepared.Distinct().Count());
    }

    private static Dictionary<string, HashSet<string>> ColumnsOfSchema()
    {
        var tables = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var statement in CassandraSchema.Statements(new CassandraStoreOptions { LocalDataCenter = "dc1" }).Skip(1))
        {
            var match = CreateTable().Match(statement);
            var columns = match.Groups["columns"].Value.Split(',', StringSplitOptions.TrimEntries)
                .Where(c => !c.StartsWith("PRIMARY KEY", StringComparison.Ordinal) && !c.StartsWith('(') && !c.EndsWith(')'))
                .Select(c => c.Split(' ')[0]);
            tables[match.Groups["name"].Value] = [.. columns];
        }

        return tables;
    }

    private static IEnumerable<string> ColumnsOf(string statement)
    {
        var select = SelectList().Match(statement);
        var insert = InsertList().Match(statement);
        var listed = (select.Success ? select.Groups["list"].Value : insert.Success ? insert.Groups["list"].Value : string.Empty)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(c => TokenAlias().Match(c) is { Success: true } token ? token.Groups["column"].Value : c);
        return listed.Concat(Compared().Matches(statement).Select(m => m.Groups["column"].Value));
    }

    [GeneratedRegex(@"^token\((?<column>\w+)\) AS \w+$")]
    private static partial Regex TokenAlias();

    [GeneratedRegex(@"(FROM|INTO|UPDATE) (?<table>\w+)")]
    private static partial Regex TableOf();

    [GeneratedRegex(@"^SELECT (?<list>.+) FROM ")]
    private static partial Regex SelectList();

    [GeneratedRegex(@"^INSERT INTO \w+ \((?<list>[^)]+)\)")]
    private static partial Regex InsertList();

    [GeneratedRegex(@"(?<column>\w+) (=|>|<=) \?")]
    private static partial Regex Compared();

    [GeneratedRegex(@"CREATE TABLE IF NOT EXISTS \w+\.(?<name>\w+) \((?<columns>.+)\) WITH|CREATE TABLE IF NOT EXISTS \w+\.(?<name>\w+) \((?<columns>.+)\);")]
    private static partial Regex CreateTable();
}
