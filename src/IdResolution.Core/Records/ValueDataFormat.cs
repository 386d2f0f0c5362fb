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
    public static ValueDataFormat Classify(HandleValue value) => Accept(value, FormatOnly.Instance);

    /// <summary>Decodes the data by the rules of <see cref="Classify"/> and hands it to the one method of <paramref name="visitor"/> that renders that format.</summary>
    public static TResult Accept<TResult>(HandleValue value, IValueDataVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(visitor);
        var data = value.Data.Span;
        if (HasType(value.Type, WellKnownTypes.Admin) && AdminValue.TryDecode(data, out var admin))
        {
            return visitor.Admin(admin!);
        }

        if (HasType(value.Type, WellKnownTypes.ValueList) && Records.ValueList.TryDecode(data, out var entries))
        {
            return visitor.ValueList(entries);
        }

        if ((HasType(value.Type, WellKnownTypes.Site) || HasType(value.Type, WellKnownTypes.SitePrefix)) && SiteInfo.TryDecode(data, out var site))
        {
            return visitor.Site(site!);
        }

        return LooksBinary(data) ? visitor.Binary(value.Data) : visitor.Text(Encoding.UTF8.GetString(data));
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

    private sealed class FormatOnly : IValueDataVisitor<ValueDataFormat>
    {
        public static readonly FormatOnly Instance = new();

        public ValueDataFormat Text(string text) => ValueDataFormat.String;

        public ValueDataFormat Binary(ReadOnlyMemory<byte> data) => ValueDataFormat.Base64;

        public ValueDataFormat Admin(AdminValue admin) => ValueDataFormat.Admin;

        public ValueDataFormat ValueList(IReadOnlyList<ValueReference> entries) => ValueDataFormat.VList;

        public ValueDataFormat Site(SiteInfo site) => ValueDataFormat.Site;
    }
}
