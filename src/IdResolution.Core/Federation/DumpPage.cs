using IdResolution.Core.Storage;

namespace IdResolution.Core.Federation;

/// <summary>
/// One page of a child's dump as its parent reads it (<see cref="INodeLink.ReadDumpAsync"/>). <see cref="First"/>
/// marks the first page of a dump: a read that failed part-way starts a new dump, whose first page says the
/// copy must be emptied again. <see cref="Position"/> is the change log position the dump stands for.
/// </summary>
public sealed record DumpPage(IReadOnlyList<DumpEntry> Records, long Position, bool First);
