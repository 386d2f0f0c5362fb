using IdResolution.Core.Records;

namespace IdResolution.Core.Federation;

/// <summary>
/// One committed change of a prefix handle (<c>0.NA/&lt;prefix&gt;</c>), filed by a child with its parent:
/// the values after the change (without the child's HS_ADMIN, keys and node-managed values), or removal,
/// and the child's record version, by which the parent keeps only the newest.
/// </summary>
public sealed record Filing(string Handle, long Version, IReadOnlyList<HandleValue> Values, bool Removed, DateTimeOffset ChangedAt);

/// <summary>The parent's answer to one filing: applied, already held (a repeat or an older filing), or refused with a Handle code.</summary>
public sealed record FilingResult(string Handle, HandleResponseCode Code, string Message, bool Applied);
