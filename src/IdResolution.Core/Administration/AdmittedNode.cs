using IdResolution.Core.Records;
using IdResolution.Core.Security;

namespace IdResolution.Core.Administration;

/// <summary>
/// A child node as its parent knows it, read from the prefix handle <c>0.NA/&lt;prefix&gt;</c> delegated to it:
/// its name, its credentials, whether it is suspended (and since when; if not suspended, since its admission
/// or reinstatement), and the sites it filed.
/// </summary>
public sealed record AdmittedNode(string Prefix, string Name, IReadOnlyList<NodeCredential> Credentials, bool Suspended,
    DateTimeOffset StatusSince, DateTimeOffset AdmittedAt, IReadOnlyList<SiteInfo> Sites);
