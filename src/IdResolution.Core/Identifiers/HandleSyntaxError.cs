namespace IdResolution.Core.Identifiers;

/// <summary>Why an identifier was refused. Each maps to Handle response code 102 (INVALID_HANDLE).</summary>
public enum HandleSyntaxError
{
    None = 0,
    Empty,
    MissingSlash,
    EmptyPrefix,
    EmptyPrefixSegment,
    InvalidPrefixCharacter,
    EmptySuffix,
    ControlCharacter,
    UnpairedSurrogate,
    SurroundingWhitespace,
    HandleTooLong,
    PrefixTooLong,
}
