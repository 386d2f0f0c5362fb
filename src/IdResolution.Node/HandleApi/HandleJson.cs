using System.Globalization;
using System.Text.Json;
using IdResolution.Core.Federation;
using IdResolution.Core.Records;

namespace IdResolution.Node.HandleApi;

/// <summary>
/// Handle.Net's JSON form of handle values (its GsonUtility), written by hand because no library
/// speaks it: <c>{index, type, data:{format, value}, permissions?, ttl, timestamp?, references?}</c>.
/// Output chooses the data format as Handle.Net does (admin, vlist, site when the data decodes, else
/// string unless it looks binary, else base64); input is read in <c>HandleJson.Reading.cs</c>.
/// </summary>
internal static partial class HandleJson
{
    public static string FormatTimestamp(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static void WriteValues(Utf8JsonWriter writer, IReadOnlyList<HandleValue> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(values);
        writer.WriteStartArray();
        foreach (var value in values)
        {
            WriteValue(writer, value);
        }

        writer.WriteEndArray();
    }

    public static void WriteValue(Utf8JsonWriter writer, HandleValue value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteNumber("index", value.Index);
        writer.WriteString("type", value.Type);
        writer.WritePropertyName("data");
        WriteData(writer, value);
        if (value.Permissions != ValuePermissions.Default)
        {
            writer.WriteString("permissions", PermissionText.Format(value.Permissions));
        }

        if (value.TtlType == TtlType.Absolute)
        {
            writer.WriteString("ttl", FormatTimestamp(value.Ttl));
        }
        else
        {
            writer.WriteNumber("ttl", value.Ttl);
        }

        if (value.Timestamp != 0)
        {
            writer.WriteString("timestamp", FormatTimestamp(value.Timestamp));
        }

        if (value.References.Count > 0)
        {
            writer.WriteStartArray("references");
            foreach (var reference in value.References)
            {
                WriteReference(writer, reference);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter writer, HandleValue value)
    {
        writer.WriteStartObject();
        ValueDataFormats.Accept(value, new JsonData(writer));
        writer.WriteEndObject();
    }

    /// <summary>A referral (Handle code 303): the prefix, the referred node's sites and how long it may be cached.</summary>
    public static void WriteReferral(Utf8JsonWriter writer, Referral referral)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(referral);
        writer.WriteStartObject();
        writer.WriteString("prefix", referral.Prefix);
        writer.WriteNumber("ttl", (long)referral.TimeToLive.TotalSeconds);
        if (referral.Upward)
        {
            writer.WriteBoolean("upward", true);
        }

        writer.WriteStartArray("sites");
        foreach (var site in referral.Sites)
        {
            WriteSite(writer, site);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteSite(Utf8JsonWriter writer, SiteInfo site)
    {
        writer.WriteStartObject();
        writer.WriteNumber("version", site.DataVersion);
        writer.WriteString("protocolVersion", string.Create(CultureInfo.InvariantCulture, $"{site.ProtocolMajor}.{site.ProtocolMinor}"));
        writer.WriteNumber("serialNumber", site.SerialNumber);
        writer.WriteBoolean("primarySite", site.IsPrimary);
        writer.WriteBoolean("multiPrimary", site.IsMultiPrimary);
        if (site.HashOption != 2)
        {
            writer.WriteNumber("hashOption", site.HashOption);
        }

        if (site.HashFilter.Length > 0)
        {
            writer.WriteString("hashFilter", site.HashFilter);
        }

        writer.WriteStartArray("attributes");
        foreach (var attribute in site.Attributes)
        {
            writer.WriteStartObject();
            writer.WriteString("name", attribute.Key);
            writer.WriteString("value", attribute.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("servers");
        foreach (var server in site.Servers)
        {
            writer.WriteStartObject();
            writer.WriteNumber("serverId", server.ServerId);
            writer.WriteString("address", server.Address.ToString());
            writer.WriteStartObject("publicKey");
            writer.WriteString("format", "base64");
            writer.WriteBase64String("value", server.PublicKey.Span);
            writer.WriteEndObject();
            writer.WriteStartArray("interfaces");
            foreach (var endpoint in server.Interfaces)
            {
                writer.WriteStartObject();
                writer.WriteBoolean("query", ((int)endpoint.ServiceType & (int)SiteServiceType.Query) != 0);
                writer.WriteBoolean("admin", ((int)endpoint.ServiceType & (int)SiteServiceType.Admin) != 0);
                if (SiteTransportNames.NameOf(endpoint.Transport) is { } protocolName)
                {
                    writer.WriteString("protocol", protocolName);
                }
                else
                {
                    writer.WriteNumber("protocol", (int)endpoint.Transport);
                }

                writer.WriteNumber("port", endpoint.Port);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteReference(Utf8JsonWriter writer, ValueReference reference)
    {
        writer.WriteStartObject();
        writer.WriteString("handle", reference.Handle);
        writer.WriteNumber("index", reference.Index);
        writer.WriteEndObject();
    }

    /// <summary>Handle.Net's JSON wire form of value data: <c>"format"</c> and <c>"value"</c>, written into the open data object.</summary>
    private sealed class JsonData(Utf8JsonWriter writer) : IValueDataVisitor<bool>
    {
        public bool Text(string text)
        {
            writer.WriteString("format", "string");
            writer.WriteString("value", text);
            return true;
        }

        public bool Binary(ReadOnlyMemory<byte> data)
        {
            writer.WriteString("format", "base64");
            writer.WriteBase64String("value", data.Span);
            return true;
        }

        public bool Admin(AdminValue admin)
        {
            writer.WriteString("format", "admin");
            writer.WriteStartObject("value");
            writer.WriteString("handle", admin.AdminHandle);
            writer.WriteNumber("index", admin.AdminIndex);
            writer.WriteString("permissions", PermissionText.Format(admin.Permissions));
            writer.WriteEndObject();
            return true;
        }

        public bool ValueList(IReadOnlyList<ValueReference> entries)
        {
            writer.WriteString("format", "vlist");
            writer.WriteStartArray("value");
            foreach (var entry in entries)
            {
                WriteReference(writer, entry);
            }

            writer.WriteEndArray();
            return true;
        }

        public bool Site(SiteInfo site)
        {
            writer.WriteString("format", "site");
            writer.WritePropertyName("value");
            WriteSite(writer, site);
            return true;
        }
    }
}
