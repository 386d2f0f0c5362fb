using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;

namespace IdResolution.Core.Registration;

/// <summary>Create a handle with these values; with <see cref="Overwrite"/> an existing record is replaced.</summary>
public sealed record CreateRequest(string Handle, IReadOnlyList<HandleValue> Values, bool Overwrite = false);

/// <summary>Add or replace values by index and remove others, on an existing handle.</summary>
public sealed record UpdateRequest(string Handle, IReadOnlyList<HandleValue> Values, IReadOnlyList<int> RemoveIndexes);

/// <summary>The result of a successful write: the record as now stored (null once deleted), and whether the write created the handle.</summary>
public sealed record WriteReceipt(HandleId Handle, HandleRecord? Record, bool Created);

/// <summary>A page of handles under a prefix, with the token for the next page (null on the last).</summary>
public sealed record HandleListing(string Prefix, IReadOnlyList<string> Handles, string? NextPageToken);
