using System.Text;
using System.Text.Json;
using IdResolution.Core.Records;
using IdResolution.Node.HandleApi;

namespace IdResolution.Node.Tests.HandleApi;

/// <summary>The value codec against Handle.Net's documented JSON (its REST API document's example, domain.md §4.4).</summary>
public sealed class HandleJsonTests
{
    private const string DocumentedValues = """
        [{"index":100,"type":"HS_ADMIN","data":{"format":"admin","value":{"handle":"0.NA/4263537","index":200,"permissions":"011111111111"}},"ttl":86400,"timestamp":"2000-04-10T22:41:46Z"},{"index":1,"type":"URL","data":{"format":"string","value":"http://www.handle.net/index.html"},"ttl":86400,"timestamp":"2001-11-21T16:21:35Z"}]
        """;

    [Fact]
    public void The_documented_example_reads_and_writes_back_byte_for_byte()
    {
        using var json = JsonDocument.Parse(DocumentedValues);
        Assert.True(HandleJson.TryReadValues(json.RootElement, out var values, out _, out var refusal), refusal?.Message);

        // Timestamps are the node's to set; carry the documented ones over to compare the output.
        var stamped = values.Select((v, i) => v with { Timestamp = i == 0 ? 955406506 : 1006359695 }).ToList();
        Assert.Equal(DocumentedValues.Trim(), Write(stamped));

        var admin = Assert.IsType<AdminValue>(AdminValue.TryDecode(values[0].Data.Span, out var decoded) ? decoded : null);
        Assert.Equal(new AdminValue("0.NA/4263537", 200, AdminPermissions.All & ~AdminPermissions.ListHandles), admin);
    }

    [Theory]
    [InlineData("""{"index":2,"type":"EMAIL","data":"a@b.test"}""", "string", "a@b.test")]
    [InlineData("""{"index":2,"type":"BIN","data":{"format":"HEX","value":"00ff10"}}""", "base64", "AP8Q")]
    [InlineData("""{"index":2,"type":"BIN","data":{"format":"base64","value":"AP8Q"}}""", "base64", "AP8Q")]
    public void Bare_strings_hex_and_base64_are_read_and_binary_is_written_as_base64(string input, string format, string written)
    {
        using var json = JsonDocument.Parse(input);
        Assert.True(HandleJson.TryReadValue(json.RootElement, out var value, out _));
        using var output = JsonDocument.Parse(Write([value!]));
        var data = output.RootElement[0].GetProperty("data");
        Assert.Equal(format, data.GetProperty("format").GetString());
        Assert.Equal(written, data.GetProperty("value").GetString());
    }

    [Fact]
    public void Permissions_are_written_only_when_not_default_and_absolute_ttls_as_times()
    {
        using var json = JsonDocument.Parse("""{"index":3,"type":"X","data":"x","permissions":"1100","ttl":"2030-01-02T03:04:05Z","references":[{"handle":"88.1/a","index":1}]}""");
        Assert.True(HandleJson.TryReadValue(json.RootElement, out var value, out _));
        Assert.Equal(TtlType.Absolute, value!.TtlType);
        Assert.Equal("""[{"index":3,"type":"X","data":{"format":"string","value":"x"},"permissions":"1100","ttl":"2030-01-02T03:04:05Z","references":[{"handle":"88.1/a","index":1}]}]""",
            Write([value]));
    }

    [Theory]
    [InlineData("""{"index":0,"type":"URL","data":"x"}""", "0 is reserved")]
    [InlineData("""{"index":1,"type":"URL","data":{"format":"key","value":"x"}}""", "unknown data format")]
    [InlineData("""{"index":1,"type":"URL","data":{"format":"nope","value":"x"}}""", "unknown data format")]
    [InlineData("""{"index":1,"type":"URL","data":{"format":"hex","value":"zz"}}""", "not valid hex")]
    [InlineData("""{"index":1,"type":"URL","data":{"format":"site","value":{"servers":[{"serverId":1,"address":"not an address"}]}}}""", "address")]
    [InlineData("""{"index":1,"type":"HS_ADMIN","data":{"format":"admin","value":{"handle":"0.NA/1","index":1,"permissions":"0101"}}}""", "twelve characters")]
    [InlineData("""{"index":1,"type":"URL","data":"x","permissions":"12"}""", "permissions")]
    [InlineData("""{"index":1,"type":"URL","data":"x","ttl":"soon"}""", "ttl")]
    public void Values_the_json_can_carry_but_a_record_cannot_are_invalid_values_with_a_reason(string input, string reason)
    {
        using var json = JsonDocument.Parse(input);
        Assert.False(HandleJson.TryReadValue(json.RootElement, out _, out var refusal));
        Assert.Equal(Core.HandleResponseCode.InvalidValue, refusal!.Value.Code);
        Assert.Contains(reason, refusal.Value.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"URL","data":"x"}""", "\"index\"")]
    [InlineData("""{"index":"a","type":"URL","data":"x"}""", "\"index\" must be a whole number")]
    [InlineData("""{"index":1,"data":"x"}""", "\"type\"")]
    [InlineData("""{"index":1,"type":"URL","data":{"format":"site","value":{"servers":[{"serverId":"x"}]}}}""", "serverId must be a whole number")]
    [InlineData("""{"index":1,"type":"HS_ADMIN","data":{"format":"admin","value":{"handle":"0.NA/1"}}}""", "needs \"index\"")]
    [InlineData("""{"index":1,"type":"URL","data":{"format":"string","value":5}}""", "data.value\" must be a string")]
    [InlineData("""{"index":1,"type":"URL","data":"x","references":{}}""", "references")]
    public void Json_that_is_not_handle_value_json_is_a_protocol_error_with_a_reason(string input, string reason)
    {
        using var json = JsonDocument.Parse(input);
        Assert.False(HandleJson.TryReadValue(json.RootElement, out _, out var refusal));
        Assert.Equal(Core.HandleResponseCode.ProtocolError, refusal!.Value.Code);
        Assert.Contains(reason, refusal.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_may_be_an_array_an_object_with_values_or_one_value()
    {
        foreach (var body in new[] { """[{"index":1,"type":"URL","data":"u"}]""", """{"values":[{"index":1,"type":"URL","data":"u"}]}""", """{"index":1,"type":"URL","data":"u"}""" })
        {
            using var json = JsonDocument.Parse(body);
            Assert.True(HandleJson.TryReadValues(json.RootElement, out var values, out _, out _));
            Assert.Equal(1, Assert.Single(values).Index);
        }

        using var wrong = JsonDocument.Parse("42");
        Assert.False(HandleJson.TryReadValues(wrong.RootElement, out _, out _, out var refusal));
        Assert.Equal(Core.HandleResponseCode.ProtocolError, refusal!.Value.Code);
    }

    private static string Write(IReadOnlyList<HandleValue> values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            HandleJson.WriteValues(writer, values);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
