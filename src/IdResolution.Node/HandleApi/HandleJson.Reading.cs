using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using IdResolution.Core;
using IdResolution.Core.Records;

namespace IdResolution.Node.HandleApi;

/// <summary>
/// Reads Handle.Net's value JSON. Every field is looked at through one of the typed readers below,
/// never through a <see cref="JsonElement"/> accessor that throws on another JSON type, so hostile
/// input cannot reach a 500. Two kinds of refusal: JSON that is not Handle value JSON (a field of
/// the wrong JSON type, a missing field, a body of another shape) is PROTOCOL_ERROR (4); a value the
/// JSON can carry but a record cannot (index 0, an unknown data format, bad base64, a number out of
/// a field's range) is INVALID_VALUE (202). Whole numbers may be sent as numeric strings, as
/// Handle.Net's parser reads them. Input takes a bare string as data and the formats string, base64,
/// hex, admin, vlist and site, case-insensitively; <c>timestamp</c> is the node's to set and is ignored.
/// </summary>
internal static partial class HandleJson
{
    // HS_ADMIN's permission bits (add_handle .. list_handles).
    private const int AdminBits = 12;

    private const string BodyShape = "the body must be an array of values, {\"values\":[...]} (with the \"handle\" it is for, if given), or one value with an \"index\"";

    /// <summary>A PUT body: an array of values, <c>{"handle"?, "values":[...]}</c>, or one value; <paramref name="handle"/> is the handle the body names, if it names one.</summary>
    public static bool TryReadValues(JsonElement body, out IReadOnlyList<HandleValue> values, out string? handle, out Refusal? refusal)
    {
        values = [];
        handle = null;
        refusal = null;
        try
        {
            switch (body.ValueKind)
            {
                case JsonValueKind.Array:
                    values = ReadValueArray(body);
                    return true;
                case JsonValueKind.Object:
                    handle = Optional(body, "handle") is { } named ? Text(named, "\"handle\"") : null;
                    if (Optional(body, "values") is { } list)
                    {
                        values = ReadValueArray(Array(list, "\"values\""));
                        return true;
                    }

                    if (Optional(body, "index") is not null)
                    {
                        values = [ReadValue(body)];
                        return true;
                    }

                    break;
            }

            throw Unreadable.Shape(BodyShape);
        }
        catch (Unreadable unreadable)
        {
            refusal = unreadable.Refusal;
            return false;
        }
    }

    public static bool TryReadValue(JsonElement element, out HandleValue? value, out Refusal? refusal)
    {
        try
        {
            value = ReadValue(element);
            refusal = null;
            return true;
        }
        catch (Unreadable unreadable)
        {
            value = null;
            refusal = unreadable.Refusal;
            return false;
        }
    }

    private static List<HandleValue> ReadValueArray(JsonElement items)
    {
        var values = new List<HandleValue>(items.GetArrayLength());
        foreach (var item in items.EnumerateArray())
        {
            values.Add(ReadValue(item));
        }

        return values;
    }

    private static HandleValue ReadValue(JsonElement element)
    {
        Object(element, "each value");
        var index = WholeNumber(Required(element, "index", "each value"), "\"index\"");
        if (RecordValidator.CheckIndex(index) is { } indexError)
        {
            throw Unreadable.Content(indexError);
        }

        var at = string.Create(CultureInfo.InvariantCulture, $"value {index}: ");
        var type = Text(Required(element, "type", at + "the value"), at + "\"type\"");
        var data = Optional(element, "data") is { } dataElement ? ReadData(dataElement, at) : [];
        var permissions = Optional(element, "permissions") is { } permissionsElement
            ? ReadPermissions(Text(permissionsElement, at + "\"permissions\""), at)
            : ValuePermissions.Default;
        var (ttlType, ttl) = Optional(element, "ttl") is { } ttlElement ? ReadTtl(ttlElement, at) : (TtlType.Relative, HandleValue.DefaultTtlSeconds);
        var references = Optional(element, "references") is { } referencesElement
            ? ReadReferences(referencesElement, at + "\"references\"")
            : [];
        return new HandleValue
        {
            Index = (int)index,
            Type = type,
            Data = data,
            TtlType = ttlType,
            Ttl = ttl,
            Permissions = permissions,
            References = references,
        };
    }

    private static byte[] ReadData(JsonElement element, string at)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return Encoding.UTF8.GetBytes(element.GetString()!);
        }

        Object(element, at + "\"data\" (a string or {\"format\",\"value\"})");
        var formatName = Text(Required(element, "format", at + "\"data\""), at + "\"data.format\"");
        var value = Required(element, "value", at + "\"data\"");
        var field = at + "\"data.value\"";
        switch (formatName.ToUpperInvariant())
        {
            case "STRING":
                return Encoding.UTF8.GetBytes(Text(value, field));
            case "BASE64":
                return Decode(Text(value, field), Convert.FromBase64String, field + " is not valid base64");
            case "HEX":
                return Decode(Text(value, field), Convert.FromHexString, field + " is not valid hex");
            case "ADMIN":
                return ReadAdmin(value, field);
            case "VLIST":
                return ValueList.Encode(ReadReferences(value, field));
            case "SITE":
                return ReadSite(value, field);
            default:
                throw Unreadable.Content($"{at}unknown data format '{formatName}'; use string, base64, hex, admin, vlist or site");
        }
    }

    /// <summary>Up to four characters of 0 and 1 read from the right, as Handle.Net does (the last is publicWrite); "*" grants all four.</summary>
    private static ValuePermissions ReadPermissions(string text, string at)
    {
        if (text == "*")
        {
            return ValuePermissions.AdminRead | ValuePermissions.AdminWrite | ValuePermissions.PublicRead | ValuePermissions.PublicWrite;
        }

        return text.Length is > 0 and <= 4 && PermissionText.TryParse(text.PadLeft(4, '0'), out ValuePermissions permissions)
            ? permissions
            : throw Unreadable.Content($"{at}permissions must be up to four characters of 0 and 1 (adminRead adminWrite publicRead publicWrite) or \"*\"");
    }

    /// <summary>A number of seconds (relative), or an ISO-8601 time (absolute).</summary>
    private static (TtlType Type, long Ttl) ReadTtl(JsonElement element, string at)
    {
        var field = at + "\"ttl\"";
        if (element.ValueKind == JsonValueKind.String)
        {
            return DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires)
                ? (TtlType.Absolute, expires.ToUnixTimeSeconds())
                : throw Unreadable.Content(field + " must be a number of seconds or an ISO-8601 time");
        }

        return element.ValueKind == JsonValueKind.Number
            ? (TtlType.Relative, WholeNumber(element, field))
            : throw Unreadable.Shape(field + " must be a number of seconds or an ISO-8601 time");
    }

    private static byte[] ReadAdmin(JsonElement value, string field)
    {
        Object(value, field + " (admin data)");
        var handle = Text(Required(value, "handle", field), field + ".handle");
        var index = Int32(Required(value, "index", field), field + ".index", 0, int.MaxValue);
        var permissions = ReadAdminPermissions(Required(value, "permissions", field), field + ".permissions");
        return new AdminValue(handle, index, permissions).Encode();
    }

    /// <summary>Twelve characters (bit 0 rightmost), "*", true/false, a number, or an array whose element i is bit i.</summary>
    private static AdminPermissions ReadAdminPermissions(JsonElement element, string field)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when element.GetString() == "*":
            case JsonValueKind.True:
                return AdminPermissions.All;
            case JsonValueKind.String:
                return PermissionText.TryParse(element.GetString(), out AdminPermissions permissions)
                    ? permissions
                    : throw Unreadable.Content(field + " must be twelve characters of 0 and 1 (bit 0 rightmost) or \"*\"");
            case JsonValueKind.False:
                return AdminPermissions.None;
            case JsonValueKind.Number:
                return (AdminPermissions)Int32(element, field, 0, (int)AdminPermissions.All);
            case JsonValueKind.Array:
                if (element.GetArrayLength() > AdminBits)
                {
                    throw Unreadable.Content(string.Create(CultureInfo.InvariantCulture, $"{field} has at most {AdminBits} bits"));
                }

                var bits = AdminPermissions.None;
                var bit = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Boolean(item, field + " (an array of true/false)"))
                    {
                        bits |= (AdminPermissions)(1 << bit);
                    }

                    bit++;
                }

                return bits;
            default:
                throw Unreadable.Shape(field + " must be a string, true/false, a number or an array of true/false");
        }
    }

    private static List<ValueReference> ReadReferences(JsonElement element, string field)
    {
        var references = new List<ValueReference>();
        foreach (var item in Array(element, field + " (an array of {\"handle\",\"index\"})").EnumerateArray())
        {
            Object(item, field + " entry");
            references.Add(new ValueReference(
                Text(Required(item, "handle", field + " entry"), field + " handle"),
                Int32(Required(item, "index", field + " entry"), field + " index", 0, int.MaxValue)));
        }

        return references;
    }

    private static byte[] ReadSite(JsonElement value, string field)
    {
        Object(value, field + " (site data)");
        byte major = 2, minor = 10;
        if (Optional(value, "protocolVersion") is { } protocol)
        {
            var parts = Text(protocol, field + ".protocolVersion").Split('.');
            if (parts.Length != 2 || !byte.TryParse(parts[0], CultureInfo.InvariantCulture, out major) || !byte.TryParse(parts[1], CultureInfo.InvariantCulture, out minor))
            {
                throw Unreadable.Content(field + ".protocolVersion must be \"major.minor\", each 0 to 255");
            }
        }

        var attributes = new List<KeyValuePair<string, string>>();
        if (Optional(value, "attributes") is { } attributeList)
        {
            foreach (var attribute in Array(attributeList, field + ".attributes").EnumerateArray())
            {
                Object(attribute, field + ".attributes entry");
                attributes.Add(new(
                    Text(Required(attribute, "name", field + ".attributes entry"), field + ".attributes name"),
                    Text(Required(attribute, "value", field + ".attributes entry"), field + ".attributes value")));
            }
        }

        var servers = new List<SiteServer>();
        foreach (var server in Items(value, "servers", "serverList", field))
        {
            var at = field + " server";
            Object(server, at);
            var id = Int32(Required(server, "serverId", at), at + " serverId", 0, int.MaxValue);
            var address = IPAddress.TryParse(Text(Required(server, "address", at), at + " address"), out var parsed)
                ? parsed
                : throw Unreadable.Content(at + " address must be an IPv4 or IPv6 address");
            var key = Optional(server, "publicKey") is { } publicKey ? ReadPublicKey(publicKey, at + " publicKey") : [];
            var interfaces = new List<SiteInterface>();
            foreach (var endpoint in Items(server, "interfaces", "interfaceList", at))
            {
                var where = at + " interface";
                Object(endpoint, where);
                var type = (Optional(endpoint, "query") is { } query && Boolean(query, where + " query") ? (int)SiteServiceType.Query : 0)
                    | (Optional(endpoint, "admin") is { } admin && Boolean(admin, where + " admin") ? (int)SiteServiceType.Admin : 0);
                var transport = ReadTransport(Required(endpoint, "protocol", where), where + " protocol");
                var port = Int32(Required(endpoint, "port", where), where + " port", 0, ushort.MaxValue);
                interfaces.Add(new SiteInterface((SiteServiceType)type, transport, port));
            }

            servers.Add(new SiteServer(id, address, key, interfaces));
        }

        return new SiteInfo
        {
            DataVersion = Optional(value, "version") is { } version ? Int32(version, field + ".version", 0, ushort.MaxValue) : 1,
            ProtocolMajor = major,
            ProtocolMinor = minor,
            SerialNumber = Optional(value, "serialNumber") is { } serial ? Int32(serial, field + ".serialNumber", 0, ushort.MaxValue) : 0,
            IsPrimary = Optional(value, "primarySite") is { } primary && Boolean(primary, field + ".primarySite"),
            IsMultiPrimary = Optional(value, "multiPrimary") is { } multi && Boolean(multi, field + ".multiPrimary"),
            HashOption = Optional(value, "hashOption") is { } hash ? (byte)Int32(hash, field + ".hashOption", 0, byte.MaxValue) : (byte)2,
            HashFilter = Optional(value, "hashFilter") is { } filter ? Text(filter, field + ".hashFilter") : string.Empty,
            Attributes = attributes,
            Servers = servers,
        }.Encode();
    }

    /// <summary>A transport by Handle.Net's name, or by number for one it has no name for (as it writes them).</summary>
    private static SiteTransport ReadTransport(JsonElement element, string field)
    {
        if (element.ValueKind == JsonValueKind.Number)
        {
            return (SiteTransport)Int32(element, field, 0, byte.MaxValue);
        }

        return SiteTransportNames.TryParse(Text(element, field), out var transport)
            ? transport
            : throw Unreadable.Content(field + " must be UDP, TCP, HTTP or HTTPS");
    }

    private static byte[] ReadPublicKey(JsonElement element, string field)
    {
        Object(element, field);
        var format = Optional(element, "format") is { } formatElement ? Text(formatElement, field + ".format") : "base64";
        if (Optional(element, "value") is not { } value)
        {
            return [];
        }

        var text = Text(value, field + ".value");
        return format.ToUpperInvariant() switch
        {
            "BASE64" => Decode(text, Convert.FromBase64String, field + ".value is not valid base64"),
            "HEX" => Decode(text, Convert.FromHexString, field + ".value is not valid hex"),
            _ => throw Unreadable.Content(field + ".format must be base64 or hex"),
        };
    }

    /// <summary>The entries of a list field, also under its older name (Handle.Net wrote <c>serverList</c>, <c>interfaceList</c>).</summary>
    private static IEnumerable<JsonElement> Items(JsonElement parent, string name, string legacyName, string field) =>
        (Optional(parent, name) ?? Optional(parent, legacyName)) is { } list
            ? Array(list, $"{field}.{name}").EnumerateArray()
            : [];

    private static byte[] Decode(string text, Func<string, byte[]> decode, string error)
    {
        try
        {
            return decode(text);
        }
        catch (FormatException)
        {
            throw Unreadable.Content(error);
        }
    }

    // The typed readers. Only these look into a JsonElement; each refuses every JSON type it does not take.

    private static JsonElement? Optional(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? value : null;

    private static JsonElement Required(JsonElement parent, string name, string of) =>
        parent.TryGetProperty(name, out var value) ? value : throw Unreadable.Shape($"{of} needs \"{name}\"");

    private static void Object(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Unreadable.Shape(field + " must be a JSON object");
        }
    }

    private static JsonElement Array(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.Array ? element : throw Unreadable.Shape(field + " must be a JSON array");

    private static string Text(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw Unreadable.Shape(field + " must be a string");

    private static bool Boolean(JsonElement element, string field) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Unreadable.Shape(field + " must be true or false"),
    };

    /// <summary>A whole number, or a string holding one (Handle.Net reads "5" as 5); a fraction or a number past 64 bits is out of range.</summary>
    private static long WholeNumber(JsonElement element, string field)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                return element.TryGetInt64(out var number) ? number : throw Unreadable.Content(field + " must be a whole number within range");
            case JsonValueKind.String when long.TryParse(element.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                throw Unreadable.Shape(field + " must be a whole number");
        }
    }

    private static int Int32(JsonElement element, string field, int min, int max)
    {
        var number = WholeNumber(element, field);
        return number >= min && number <= max
            ? (int)number
            : throw Unreadable.Content(string.Create(CultureInfo.InvariantCulture, $"{field} must be from {min} to {max}"));
    }

    /// <summary>Why a body cannot be read; thrown only inside this reader and turned into its refusal at the top.</summary>
    private sealed class Unreadable(Refusal refusal) : Exception(refusal.Message)
    {
        public Refusal Refusal { get; } = refusal;

        public static Unreadable Shape(string message) => new(new Refusal(HandleResponseCode.ProtocolError, message));

        public static Unreadable Content(string message) => new(Refusal.InvalidValue(message));
    }
}
