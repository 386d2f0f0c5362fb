using IdResolution.Contracts.V1;

namespace IdResolution.Cli.Bulk;

/// <summary>
/// One data row of an import file: its number among the file's data rows (what a checkpoint counts), the line
/// it starts on (what an operator looks up), and either the create request or why the row cannot be one.
/// </summary>
internal sealed record SourceRow(long Row, long Line, string? Handle, CreateHandleRequest? Item, string? Error);
