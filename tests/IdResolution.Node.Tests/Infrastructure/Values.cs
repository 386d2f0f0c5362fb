using Google.Protobuf;
using IdResolution.Contracts.V1;

namespace IdResolution.Node.Tests.Infrastructure;

/// <summary>Short builders for contract values in tests.</summary>
public static class Values
{
    public static HandleValue Text(uint index, string type, string text, uint? ttl = null)
    {
        var value = new HandleValue { Index = index, Type = type, Data = new ValueData { StringValue = text } };
        if (ttl is { } seconds)
        {
            value.TtlSeconds = seconds;
        }

        return value;
    }

    public static HandleValue Url(uint index, string url) => Text(index, "URL", url);

    public static HandleValue Binary(uint index, string type, byte[] data) =>
        new() { Index = index, Type = type, Data = new ValueData { Base64 = ByteString.CopyFrom(data) } };

    public static HandleValue Admin(uint index, string adminHandle, uint adminIndex, string permissions) => new()
    {
        Index = index,
        Type = "HS_ADMIN",
        Data = new ValueData { Admin = new AdminValue { Handle = adminHandle, Index = adminIndex, Permissions = permissions } },
    };

    public static CreateHandleRequest Create(string handle, params HandleValue[] values)
    {
        var request = new CreateHandleRequest { Handle = handle };
        request.Values.AddRange(values);
        return request;
    }
}
