using System.Globalization;

namespace IdResolution.Core.Identifiers;

/// <summary>Messages a registrant can act on, one per <see cref="HandleSyntaxError"/>.</summary>
public static class HandleSyntaxMessages
{
    public static string Describe(HandleSyntaxError error, HandleSyntaxOptions options) => error switch
    {
        HandleSyntaxError.None => "the identifier is valid",
        HandleSyntaxError.Empty => "the identifier is empty",
        HandleSyntaxError.MissingSlash => "an identifier has the form '<prefix>/<suffix>', for example 88.709.911/ABC-0001, but no '/' was found",
        HandleSyntaxError.EmptyPrefix => "the prefix before the first '/' is empty",
        HandleSyntaxError.EmptyPrefixSegment => "the prefix has an empty segment: a leading or trailing dot, or two dots in a row",
        HandleSyntaxError.InvalidPrefixCharacter => "a prefix segment may only hold ASCII letters, digits, '-' and '_'",
        HandleSyntaxError.EmptySuffix => "the suffix after the first '/' is empty",
        HandleSyntaxError.ControlCharacter => "the identifier contains a control character",
        HandleSyntaxError.UnpairedSurrogate => "the identifier is not valid Unicode text (unpaired surrogate), so it has no UTF-8 form",
        HandleSyntaxError.SurroundingWhitespace => "the identifier starts or ends with white space; remove it",
        HandleSyntaxError.HandleTooLong => string.Create(CultureInfo.InvariantCulture, $"the identifier is longer than {options.MaxHandleBytes} bytes in UTF-8"),
        HandleSyntaxError.PrefixTooLong => string.Create(CultureInfo.InvariantCulture, $"the prefix is longer than {options.MaxPrefixBytes} bytes in UTF-8"),
        _ => "the identifier is invalid",
    };
}
