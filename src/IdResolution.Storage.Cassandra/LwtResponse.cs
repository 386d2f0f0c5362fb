namespace IdResolution.Storage.Cassandra;

/// <summary>
/// The one row a conditional statement answers with, as the driver hands it over: <c>[applied]</c>,
/// then the existing row's <c>version</c> and <c>record</c> where the response carries them (null when
/// the column is missing or null). INSERT IF NOT EXISTS carries the whole existing row; UPDATE and
/// DELETE IF carry only the columns of their condition.
/// </summary>
internal readonly record struct LwtResponse(bool Applied, long? Version, byte[]? Record)
{
    public static LwtResponse Success { get; } = new(true, null, null);
}
