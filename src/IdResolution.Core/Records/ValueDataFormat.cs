using System.Text;

namespace IdResolution.Core.Records;

/// <summary>How a value's data is shown to clients (Handle.Net JSON <c>data.format</c>).</summary>
#pragma warning disable CA1720 // The members are Handle.Net's format names.
public enum ValueDataFormat
{
    String,
    Base64,
    Admin,
    Site,
    VList,
}
#pragma warning restore CA1720

public static class ValueDataFormats
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>
    /// Structured types are shown structured when their data decodes; other data is text unless it
    /// looks binary. Both rules follow Handle.Net's JSON encoder so clients see the same formats.
    /// </summary>
    public static ValueDataFormat Classify(HandleValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var data = value.Data.Span;
        if (HasType(value.Type, WellKnownTypes.Admin) && AdminValue.TryDecode(data, out _))
        {
            return ValueDataFormat.Admin;
        }

        if (HasType(value.Type, WellKnownTypes.ValueList) && ValueList.TryDecode(data, out _))
        {
            return ValueDataFormat.VList;
        }

        if ((HasType(value.Type, WellKnownTypes.Site) || HasType(value.Type, WellKnownTypes.SitePrefix)) && SiteInfo.TryDecode(data, out _))
        {
            return ValueDataFormat.Site;
        }

        return LooksBinary(data) ? ValueDataFormat.Base64 : ValueDataFormat.String;
    }

    /// <summary>True when <paramref name="type"/> is <paramref name="wellKnown"/> or one of its subtypes (<c>HS_SITE.6</c>).</summary>
    public static bool HasType(string type, string wellKnown)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(wellKnown);
        return type.Length == wellKnown.Length
            ? System.Text.Ascii.EqualsIgnoreCase(type, wellKnown)
            : type.Length > wellKnown.Length && type[wellKnown.Length] == '.' && System.Text.Ascii.EqualsIgnoreCase(type.AsSpan(0, wellKnown.Length), wellKnown);
    }

    /// <summary>Invalid UTF-8, or a control byte other than 0x09–0x13, marks data as binary.</summary>
    public static bool LooksBinary(ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            if (b is <= 0x08 or (>= 0x14 and <= 0x1F) or 0x7F)
            {
                return true;
            }
        }

        if (System.Text.Ascii.IsValid(data))
        {
            return false;
        }

        try
        {
            StrictUtf8.GetCharCount(data);
            return false;
        }
        catch (DecoderFallbackException)
        {
            return true;
        }
    }
}
