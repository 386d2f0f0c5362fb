using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using IdResolution.Core;
using IdResolution.Core.Records;

namespace IdResolution.Node.HandleApi;

/// <summary>
/// Handle.Net's JSON form of handle values (its GsonUtility), written by hand because no library
/// speaks it: <c>{index, type, data:{format, value}, permissions?, ttl, timestamp?, references?}</c>.
/// Output chooses the data format as Handle.Net does (admin, vlist, site when the data decodes, else
/// string unless it looks binary, else base64). Input accepts a bare string as data and the formats
/// string, base64, hex, admin, vlist and site, case-insensitively.
/// </summary>
internal static class HandleJson
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

    /// <summary>Reads a PUT body: an array of values, <c>{"values":[...]}</c>, or one value.</summary>
    public static bool TryReadValues(JsonElement body, out IReadOnlyList<HandleValue> values, out Refusal? refusal)
    {
        values = [];
        var items = body.ValueKind switch
        {
            JsonValueKind.Array => body,
            JsonValueKind.Object when body.TryGetProperty("values", out var list) && list.ValueKind == JsonValueKind.Array => list,
            JsonValueKind.Object => default,
            _ => default,
        };

        if (body.ValueKind == JsonValueKind.Object && items.ValueKind == JsonValueKind.Undefined)
        {
            // A single value.
            if (!TryReadValue(body, out var single, out refusal))
            {
                return false;
            }

            values = [single!];
            return true;
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            refusal = new Refusal(HandleResponseCode.ProtocolError, "the body must be a value, an array of values, or {\"values\":[...]}");
            return false;
        }

        var read = new List<HandleValue>(items.GetArrayLength());
        foreach (var item in items.EnumerateArray())
        {
            if (!TryReadValue(item, out var value, out refusal))
            {
                return false;
            }

            read.Add(value!);
        }

        values = read;
        refusal = null;
        return true;
    }

    public static bool TryReadValue(JsonElement element, out HandleValue? value, out Refusal? refusal)
    {
        value = null;
        refusal = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Fail("each value must be a JSON object", out refusal);
        }

        if (!element.TryGetProperty("index", out var indexElement) || !indexElement.TryGetInt64(out var index))
        {
            return Fail("each value needs an integer \"index\"", out refusal);
        }

        if (Core.Records.RecordValidator.CheckIndex(index) is { } indexError)
        {
            return Fail(indexError, out refusal);
        }

        if (!element.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            return Fail($"value {index} needs a string \"type\"", out refusal);
        }

        var type = typeElement.GetString()!;
        byte[] data = [];
        if (element.TryGetProperty("data", out var dataElement) && !TryReadData(dataElement, (int)index, out data, out var dataError))
        {
            return Fail(dataError!, out refusal);
        }

        var permissions = ValuePermissions.Default;
        if (element.TryGetProperty("permissions", out var permissionsElement)
            && !TryReadPermissions(permissionsElement, out permissions))
        {
            return Fail($"value {index}: permissions must be up to four characters of 0 and 1 (adminRead adminWrite publicRead publicWrite) or \"*\"", out refusal);
        }

        var ttlType = TtlType.Relative;
        long ttl = HandleValue.DefaultTtlSeconds;
        if (element.TryGetProperty("ttl", out var ttlElement))
        {
            if (ttlElement.ValueKind == JsonValueKind.Number && ttlElement.TryGetInt64(out var seconds))
            {
                ttl = seconds;
            }
            else if (ttlElement.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(ttlElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires))
            {
                ttlType = TtlType.Absolute;
                ttl = expires.ToUnixTimeSeconds();
            }
            else
            {
                return Fail($"value {index}: ttl must be a number of seconds or an ISO-8601 time", out refusal);
            }
        }

        var references = new List<ValueReference>();
        if (element.TryGetProperty("references", out var referencesElement) && !TryReadReferences(referencesElement, references))
        {
            return Fail($"value {index}: references must be an array of {{\"handle\",\"index\"}}", out refusal);
        }

        value = new HandleValue
        {
            Index = (int)index,
            Type = type,
            Data = data,
            TtlType = ttlType,
            Ttl = ttl,
            Permissions = permissions,
            References = references,
        };
        return true;
    }

    private static void WriteData(Utf8JsonWriter writer, HandleValue value)
    {
        writer.WriteStartObject();
        ValueDataFormats.Accept(value, new JsonData(writer));
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

    private static bool TryReadData(JsonElement element, int index, out byte[] data, out string? error)
    {
        data = [];
        error = null;
        if (element.ValueKind == JsonValueKind.String)
        {
            data = Encoding.UTF8.GetBytes(element.GetString()!);
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("format", out var formatElement) || formatElement.ValueKind != JsonValueKind.String)
        {
            error = $"value {index}: data must be a string or {{\"format\",\"value\"}}";
            return false;
        }

        var format = formatElement.GetString()!.ToUpperInvariant();
        element.TryGetProperty("value", out var value);
        try
        {
            switch (format)
            {
                case "STRING" when value.ValueKind == JsonValueKind.String:
                    data = Encoding.UTF8.GetBytes(value.GetString()!);
                    return true;
                case "BASE64" when value.ValueKind == JsonValueKind.String:
                    data = Convert.FromBase64String(value.GetString()!);
                    return true;
                case "HEX" when value.ValueKind == JsonValueKind.String:
                    data = Convert.FromHexString(value.GetString()!);
                    return true;
                case "ADMIN" when value.ValueKind == JsonValueKind.Object:
                    return TryReadAdmin(value, index, out data, out error);
                case "VLIST" when value.ValueKind == JsonValueKind.Array:
                    var entries = new List<ValueReference>();
                    if (!TryReadReferences(value, entries))
                    {
                        error = $"value {index}: a vlist is an array of {{\"handle\",\"index\"}}";
                        return false;
                    }

                    data = ValueList.Encode(entries);
                    return true;
                case "SITE" when value.ValueKind == JsonValueKind.Object:
                    return TryReadSite(value, index, out data, out error);
                case "STRING" or "BASE64" or "HEX" or "ADMIN" or "VLIST" or "SITE":
                    error = $"value {index}: data.value has the wrong JSON type for format {formatElement.GetString()}";
                    return false;
                default:
                    error = $"value {index}: unknown data format '{formatElement.GetString()}'; use string, base64, hex, admin, vlist or site";
                    return false;
            }
        }
        catch (Exception exception) when (exception is FormatException or InvalidOperationException or KeyNotFoundException or OverflowException)
        {
            // Thrown by the structured readers on JSON of the wrong shape; the value is refused, not the request crashed.
            error = $"value {index}: data.value is not valid {formatElement.GetString()}";
            return false;
        }
    }

    private static bool TryReadAdmin(JsonElement value, int index, out byte[] data, out string? error)
    {
        data = [];
        error = $"value {index}: admin data needs \"handle\", an integer \"index\" and 12-bit \"permissions\"";
        if (!value.TryGetProperty("handle", out var handle) || handle.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("index", out var adminIndex) || !adminIndex.TryGetInt32(out var adminIndexValue)
            || !value.TryGetProperty("permissions", out var permissionsElement) || !TryReadAdminPermissions(permissionsElement, out var permissions))
        {
            return false;
        }

        data = new AdminValue(handle.GetString()!, adminIndexValue, permissions).Encode();
        error = null;
        return true;
    }

    /// <summary>Twelve characters (bit 0 rightmost), "*", true/false, a number, or an array whose element i is bit i.</summary>
    private static bool TryReadAdminPermissions(JsonElement element, out AdminPermissions permissions)
    {
        permissions = AdminPermissions.None;
        switch (element.ValueKind)
        {
            case JsonValueKind.String when element.GetString() == "*":
                permissions = AdminPermissions.All;
                return true;
            case JsonValueKind.String:
                return PermissionText.TryParse(element.GetString(), out permissions);
            case JsonValueKind.True:
                permissions = AdminPermissions.All;
                return true;
            case JsonValueKind.False:
                return true;
            case JsonValueKind.Number when element.TryGetInt32(out var bits) && bits is >= 0 and <= (int)AdminPermissions.All:
                permissions = (AdminPermissions)bits;
                return true;
            case JsonValueKind.Array when element.GetArrayLength() <= 12:
                var bit = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.True)
                    {
                        permissions |= (AdminPermissions)(1 << bit);
                    }
                    else if (item.ValueKind != JsonValueKind.False)
                    {
                        return false;
                    }

                    bit++;
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>Read from the right, as Handle.Net does: the last character is publicWrite; "*" grants all four.</summary>
    private static bool TryReadPermissions(JsonElement element, out ValuePermissions permissions)
    {
        permissions = ValuePermissions.None;
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var text = element.GetString()!;
        if (text == "*")
        {
            permissions = ValuePermissions.AdminRead | ValuePermissions.AdminWrite | ValuePermissions.PublicRead | ValuePermissions.PublicWrite;
            return true;
        }

        return text.Length is > 0 and <= 4 && PermissionText.TryParse(text.PadLeft(4, '0'), out permissions);
    }

    private static bool TryReadReferences(JsonElement element, List<ValueReference> references)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("handle", out var handle) || handle.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("index", out var index) || !index.TryGetInt32(out var indexValue))
            {
                return false;
            }

            references.Add(new ValueReference(handle.GetString()!, indexValue));
        }

        return true;
    }

    private static bool TryReadSite(JsonElement value, int index, out byte[] data, out string? error)
    {
        data = [];
        error = $"value {index}: site data needs version, protocolVersion \"major.minor\", serialNumber, and servers with serverId, address and interfaces";
        byte major = 2, minor = 10;
        if (value.TryGetProperty("protocolVersion", out var protocol))
        {
            var parts = protocol.GetString()?.Split('.') ?? [];
            if (parts.Length != 2 || !byte.TryParse(parts[0], CultureInfo.InvariantCulture, out major) || !byte.TryParse(parts[1], CultureInfo.InvariantCulture, out minor))
            {
                return false;
            }
        }

        var attributes = new List<KeyValuePair<string, string>>();
        if (value.TryGetProperty("attributes", out var attributeList))
        {
            foreach (var attribute in attributeList.EnumerateArray())
            {
                attributes.Add(new(attribute.GetProperty("name").GetString() ?? string.Empty, attribute.GetProperty("value").GetString() ?? string.Empty));
            }
        }

        var servers = new List<SiteServer>();
        foreach (var server in Items(value, "servers", "serverList"))
        {
            if (!IPAddress.TryParse(server.GetProperty("address").GetString(), out var address))
            {
                return false;
            }

            var key = server.TryGetProperty("publicKey", out var publicKey) && publicKey.ValueKind == JsonValueKind.Object
                && publicKey.TryGetProperty("value", out var keyValue) && keyValue.ValueKind == JsonValueKind.String
                ? Convert.FromBase64String(keyValue.GetString()!)
                : [];
            var interfaces = new List<SiteInterface>();
            foreach (var endpoint in Items(server, "interfaces", "interfaceList"))
            {
                if (!SiteTransportNames.TryParse(endpoint.GetProperty("protocol").GetString(), out var transport))
                {
                    return false;
                }

                var type = (endpoint.TryGetProperty("query", out var query) && query.GetBoolean() ? (int)SiteServiceType.Query : 0)
                    | (endpoint.TryGetProperty("admin", out var admin) && admin.GetBoolean() ? (int)SiteServiceType.Admin : 0);
                interfaces.Add(new SiteInterface((SiteServiceType)type, transport, endpoint.GetProperty("port").GetInt32()));
            }

            servers.Add(new SiteServer(server.GetProperty("serverId").GetInt32(), address, key, interfaces));
        }

        data = new SiteInfo
        {
            DataVersion = value.TryGetProperty("version", out var version) ? version.GetInt32() : 1,
            ProtocolMajor = major,
            ProtocolMinor = minor,
            SerialNumber = value.TryGetProperty("serialNumber", out var serial) ? serial.GetInt32() : 0,
            IsPrimary = value.TryGetProperty("primarySite", out var primary) && primary.GetBoolean(),
            IsMultiPrimary = value.TryGetProperty("multiPrimary", out var multi) && multi.GetBoolean(),
            HashOption = value.TryGetProperty("hashOption", out var hash) ? hash.GetByte() : (byte)2,
            HashFilter = value.TryGetProperty("hashFilter", out var filter) ? filter.GetString() ?? string.Empty : string.Empty,
            Attributes = attributes,
            Servers = servers,
        }.Encode();
        error = null;
        return true;
    }

    private static IEnumerable<JsonElement> Items(JsonElement parent, string name, string legacyName) =>
        parent.TryGetProperty(name, out var list) || parent.TryGetProperty(legacyName, out list)
            ? list.EnumerateArray()
            : [];

    private static bool Fail(string message, out Refusal? refusal)
    {
        refusal = Refusal.InvalidValue(message);
        return false;
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
