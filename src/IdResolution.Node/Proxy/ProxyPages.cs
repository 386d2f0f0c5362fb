using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using IdResolution.Core.Records;

namespace IdResolution.Node.Proxy;

/// <summary>
/// The proxy's HTML: plain, accessible pages with no scripts and no external assets. Everything that
/// comes from the request or the record is HTML-encoded.
/// </summary>
internal static class ProxyPages
{
    private const string Style = "body{font-family:sans-serif;margin:1.5rem;line-height:1.4}"
        + "table{border-collapse:collapse}th,td{border:1px solid #777;padding:.3rem .6rem;text-align:left;vertical-align:top}"
        + "td.data{word-break:break-all}";

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static Task ValuesAsync(HttpContext context, string handle, IReadOnlyList<HandleValue> values, DateTimeOffset now)
    {
        var html = new StringBuilder(1024);
        Open(html, "Handle " + handle);
        html.Append("<h1>Values of handle ").Append(Encode(handle)).Append("</h1>\n");
        if (values.Count == 0)
        {
            html.Append("<p>This handle has no values you may read.</p>\n");
        }
        else
        {
            html.Append("<table>\n<caption>").Append(values.Count.ToString(CultureInfo.InvariantCulture))
                .Append(values.Count == 1 ? " value" : " values").Append("</caption>\n<thead><tr>")
                .Append("<th scope=\"col\">Index</th><th scope=\"col\">Type</th><th scope=\"col\">Timestamp</th><th scope=\"col\">Data</th>")
                .Append("</tr></thead>\n<tbody>\n");
            foreach (var value in values)
            {
                html.Append("<tr><th scope=\"row\">").Append(value.Index.ToString(CultureInfo.InvariantCulture)).Append("</th><td>")
                    .Append(Encode(value.Type)).Append("</td><td>")
                    .Append(DateTimeOffset.FromUnixTimeSeconds(value.Timestamp).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
                    .Append("</td><td class=\"data\">").Append(Encode(Describe(value))).Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        html.Append("<p>Shown ").Append(now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(".</p>\n");
        return WriteAsync(context, StatusCodes.Status200OK, Close(html));
    }

    public static Task ErrorAsync(HttpContext context, int status, string title, string message)
    {
        var html = new StringBuilder(512);
        Open(html, title);
        html.Append("<h1>").Append(Encode(title)).Append("</h1>\n<p>").Append(Encode(message)).Append("</p>\n");
        return WriteAsync(context, status, Close(html));
    }

    /// <summary>The data as Handle.Net shows it: text as text, structured values decoded, binary as base64.</summary>
    private static string Describe(HandleValue value) => ValueDataFormats.Accept(value, PageData.Instance);

    private static void Open(StringBuilder html, string title) =>
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
            .Append(Encode(title)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n");

    private static string Close(StringBuilder html) => html.Append("</main>\n</body>\n</html>\n").ToString();

    private static string Encode(string text) => Encoder.Encode(text);

    private static Task WriteAsync(HttpContext context, int status, string html)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        return context.Response.WriteAsync(html, Encoding.UTF8, context.RequestAborted);
    }

    /// <summary>The value page's wire form of value data: one line of text per value.</summary>
    private sealed class PageData : IValueDataVisitor<string>
    {
        public static readonly PageData Instance = new();

        public string Text(string text) => text;

        public string Binary(ReadOnlyMemory<byte> data) => "base64:" + Convert.ToBase64String(data.Span);

        public string Admin(AdminValue admin) =>
            $"handle={admin.AdminHandle}; index={admin.AdminIndex.ToString(CultureInfo.InvariantCulture)}; permissions={PermissionText.Format(admin.Permissions)}";

        public string ValueList(IReadOnlyList<ValueReference> entries) =>
            string.Join("; ", entries.Select(e => e.Index.ToString(CultureInfo.InvariantCulture) + ":" + e.Handle));

        public string Site(SiteInfo site) =>
            string.Create(CultureInfo.InvariantCulture, $"site serial {site.SerialNumber}{(site.IsPrimary ? ", primary" : string.Empty)}; servers: ")
            + string.Join("; ", site.Servers.Select(server => string.Create(CultureInfo.InvariantCulture, $"{server.ServerId}@{server.Address}")
                + string.Concat(server.Interfaces.Select(i => string.Create(CultureInfo.InvariantCulture, $" {SiteTransportNames.NameOf(i.Transport) ?? ((int)i.Transport).ToString(CultureInfo.InvariantCulture)}/{i.Port}")))))
            + string.Concat(site.Attributes.Select(a => "; " + a.Key + "=" + a.Value));
    }
}
