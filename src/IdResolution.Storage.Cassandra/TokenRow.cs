namespace IdResolution.Storage.Cassandra;

/// <summary>One row of a dump scan: the key's partition token, the key and its record (null when the row has none).</summary>
internal sealed record TokenRow(long Token, string Key, byte[]? Record);
