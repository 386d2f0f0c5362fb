using IdResolution.Core.Records;

namespace IdResolution.Core.Storage;

/// <summary>
/// One open dump (<see cref="IStoreDump"/>). The embedded store reads a consistent snapshot and
/// <see cref="Position"/> is the snapshot's newest change; the Cassandra store notes the position first and
/// then scans while writes go on, so a record may be newer than the position, and replaying the log from
/// it settles the difference.
/// </summary>
public interface IDump : IAsyncDisposable
{
    /// <summary>The change log position to replay from (entries strictly after it) once the records are applied.</summary>
    long Position { get; }

    /// <summary>Every record of the dump, once each, in an order of the store's choosing.</summary>
    IAsyncEnumerable<DumpEntry> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>One record of a dump under its canonical key.</summary>
public sealed record DumpEntry(string Key, HandleRecord Record);
