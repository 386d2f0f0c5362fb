using IdResolution.Core.Storage;

namespace IdResolution.Core.Federation;

/// <summary>
/// One page of a child's change log as its parent reads it (<see cref="INodeLink.ReadChangesAsync"/>): the
/// entries, the position to read after next (<see cref="Next"/>), whether the log no longer holds what was
/// asked for (<see cref="Trimmed"/>: the reader must start from a dump), and the child's newest position when
/// the page was read (<see cref="LastPosition"/>), which tells the reader how far behind it is.
/// </summary>
public sealed record ChangeFeedPage(IReadOnlyList<ChangeEntry> Entries, long Next, bool Trimmed, long LastPosition);
