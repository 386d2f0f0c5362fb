using IdResolution.Core.Security;

namespace IdResolution.Core.Administration;

/// <summary>A prefix held by this node after a "home" request, and whether that request made it held.</summary>
public sealed record HomedPrefix(AllocatedPrefix Prefix, bool Created);
