namespace IdResolution.Storage.Cassandra;

/// <summary>Rules for names and literals spliced into schema statements, which cannot be bound as parameters.</summary>
internal static class CqlNames
{
    // Cassandra's own limit for keyspace and table names.
    private const int MaxNameLength = 48;

    /// <summary>
    /// An unquoted CQL name. Quoted names are refused on purpose: they are case-sensitive and would have
    /// to be quoted in every statement an operator types.
    /// </summary>
    public static bool IsValidKeyspace(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A CQL string literal: quotes doubled, which is CQL's only escape.</summary>
    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
