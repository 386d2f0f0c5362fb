using System.Globalization;
using IdResolution.Contracts.V1;
using Spectre.Console;

namespace IdResolution.Cli.Output;

/// <summary>Records as human tables: index, type, data in words, TTL.</summary>
internal static class ValueText
{
    public static Table Table(IEnumerable<HandleValue> values)
    {
        var table = new Table().AddColumns("index", "type", "data", "ttl");
        foreach (var value in values)
        {
            table.AddRow(Markup.Escape(value.Index.ToString(CultureInfo.InvariantCulture)), Markup.Escape(value.Type), Markup.Escape(Data(value.Data)), Markup.Escape(Ttl(value)));
        }

        return table;
    }

    public static string Data(ValueData? data) => data?.FormatCase switch
    {
        ValueData.FormatOneofCase.StringValue => data.StringValue,
        ValueData.FormatOneofCase.Base64 => "base64:" + data.Base64.ToBase64(),
        ValueData.FormatOneofCase.Hex => "hex:" + data.Hex,
        ValueData.FormatOneofCase.Admin => $"admin {data.Admin.Index}:{data.Admin.Handle} {data.Admin.Permissions}",
        ValueData.FormatOneofCase.Site => $"site ({data.Site.Servers.Count} servers{string.Concat(data.Site.Attributes.Select(attribute => $", {attribute.Name}={attribute.Value}"))})",
        ValueData.FormatOneofCase.Vlist => "vlist " + string.Join(", ", data.Vlist.Entries.Select(entry => $"{entry.Index}:{entry.Handle}")),
        _ => string.Empty,
    };

    private static string Ttl(HandleValue value) => value.TtlCase switch
    {
        HandleValue.TtlOneofCase.TtlSeconds => value.TtlSeconds.ToString(CultureInfo.InvariantCulture) + " s",
        HandleValue.TtlOneofCase.TtlExpiresAt => "until " + value.TtlExpiresAt.ToDateTimeOffset().ToString("u", CultureInfo.InvariantCulture),
        _ => "86400 s",
    };
}
