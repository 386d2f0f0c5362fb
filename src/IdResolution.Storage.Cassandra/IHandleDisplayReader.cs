namespace IdResolution.Storage.Cassandra;

/// <summary>Reads a handle's current display spelling (<see cref="CassandraStatements.SelectDisplay"/>); null when it has no record.</summary>
internal interface IHandleDisplayReader
{
    ValueTask<string?> ReadDisplayAsync(string key, CancellationToken cancellationToken);
}
