using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using static IdResolution.Node.Tests.HandleApi.RestNode;

namespace IdResolution.Node.Tests.HandleApi;

/// <summary>A <see cref="RestNode"/> without rate limits: these tests send a few hundred writes from one client.</summary>
public sealed class UnlimitedRestNode() : RestNode(("RateLimits:Enabled", "false"));

/// <summary>
/// Every field of Handle.Net's value JSON given a JSON type it does not take: 400 with responseCode 4
/// (the body is not Handle value JSON), or 202 for a number out of a whole-number field's range; never
/// a 500, and nothing is stored.
/// </summary>
public sealed class HandleRestValueTypeTests(UnlimitedRestNode node) : IClassFixture<UnlimitedRestNode>
{
    private const string Template = """
        {"handle":"88.709.911/TYPES","values":[
         {"index":1,"type":"URL","data":{"format":"string","value":"https://a.test"},"permissions":"1110","ttl":86400,"references":[{"handle":"88.709.911/R","index":1}]},
         {"index":2,"type":"NOTE","data":"bare text"},
         {"index":3,"type":"BIN","data":{"format":"base64","value":"AP8Q"}},
         {"index":4,"type":"BIN","data":{"format":"hex","value":"00ff"}},
         {"index":100,"type":"HS_ADMIN","data":{"format":"admin","value":{"handle":"0.NA/88.709.911","index":200,"permissions":"011111111111"}}},
         {"index":200,"type":"HS_VLIST","data":{"format":"vlist","value":[{"handle":"0.USER/acme","index":300}]}},
         {"index":5,"type":"HS_SITE","data":{"format":"site","value":{"version":1,"protocolVersion":"2.10","serialNumber":1,"primarySite":true,"multiPrimary":false,"hashOption":2,"hashFilter":"",
           "attributes":[{"name":"desc","value":"x"}],
           "servers":[{"serverId":1,"address":"127.0.0.1","publicKey":{"format":"base64","value":"AP8Q"},"interfaces":[{"query":true,"admin":true,"protocol":"TCP","port":2641}]}]}}}]}
        """;

    /// <summary>Each field of <see cref="Template"/> with the JSON types it takes.</summary>
    private static readonly (string Path, Kinds Takes)[] Fields =
    [
        ("handle", Kinds.String),
        ("values", Kinds.Array),
        ("values/0", Kinds.Object),
        ("values/0/index", Kinds.Integer),
        ("values/0/type", Kinds.String),
        ("values/0/data", Kinds.String | Kinds.Object),
        ("values/0/data/format", Kinds.String),
        ("values/0/data/value", Kinds.String),
        ("values/0/permissions", Kinds.String),
        ("values/0/ttl", Kinds.Integer | Kinds.String),
        ("values/0/references", Kinds.Array),
        ("values/0/references/0", Kinds.Object),
        ("values/0/references/0/handle", Kinds.String),
        ("values/0/references/0/index", Kinds.Integer),
        ("values/1/data", Kinds.String | Kinds.Object),
        ("values/2/data/value", Kinds.String),
        ("values/3/data/value", Kinds.String),
        ("values/4/data/value", Kinds.Object),
        ("values/4/data/value/handle", Kinds.String),
        ("values/4/data/value/index", Kinds.Integer),
        ("values/4/data/value/permissions", Kinds.String | Kinds.Integer | Kinds.Boolean | Kinds.Array),
        ("values/5/data/value", Kinds.Array),
        ("values/5/data/value/0", Kinds.Object),
        ("values/5/data/value/0/handle", Kinds.String),
        ("values/5/data/value/0/index", Kinds.Integer),
        ("values/6/data/value", Kinds.Object),
        ("values/6/data/value/version", Kinds.Integer),
        ("values/6/data/value/protocolVersion", Kinds.String),
        ("values/6/data/value/serialNumber", Kinds.Integer),
        ("values/6/data/value/primarySite", Kinds.Boolean),
        ("values/6/data/value/multiPrimary", Kinds.Boolean),
        ("values/6/data/value/hashOption", Kinds.Integer),
        ("values/6/data/value/hashFilter", Kinds.String),
        ("values/6/data/value/attributes", Kinds.Array),
        ("values/6/data/value/attributes/0", Kinds.Object),
        ("values/6/data/value/attributes/0/name", Kinds.String),
        ("values/6/data/value/attributes/0/value", Kinds.String),
        ("values/6/data/value/servers", Kinds.Array),
        ("values/6/data/value/servers/0", Kinds.Object),
        ("values/6/data/value/servers/0/serverId", Kinds.Integer),
        ("values/6/data/value/servers/0/address", Kinds.String),
        ("values/6/data/value/servers/0/publicKey", Kinds.Object),
        ("values/6/data/value/servers/0/publicKey/format", Kinds.String),
        ("values/6/data/value/servers/0/publicKey/value", Kinds.String),
        ("values/6/data/value/servers/0/interfaces", Kinds.Array),
        ("values/6/data/value/servers/0/interfaces/0", Kinds.Object),
        ("values/6/data/value/servers/0/interfaces/0/query", Kinds.Boolean),
        ("values/6/data/value/servers/0/interfaces/0/admin", Kinds.Boolean),
        ("values/6/data/value/servers/0/interfaces/0/protocol", Kinds.String | Kinds.Integer),
        ("values/6/data/value/servers/0/interfaces/0/port", Kinds.Integer),
    ];

    /// <summary>The stand-ins: string, number, null, boolean, object, array, and a number past every whole-number field's range.</summary>
    private static readonly (string Json, Kinds Kind)[] Confusions =
    [
        ("\"a\"", Kinds.String),
        ("5", Kinds.Integer),
        ("null", Kinds.None),
        ("true", Kinds.Boolean),
        ("{}", Kinds.Object),
        ("[]", Kinds.Array),
        ("18446744073709551616", Kinds.OutOfRange),
    ];

    [Flags]
    private enum Kinds
    {
        None = 0,
        String = 1,
        Integer = 2,
        Boolean = 4,
        Object = 8,
        Array = 16,
        OutOfRange = 32,
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, int> Cases()
    {
        var cases = new TheoryData<string, string, int>();
        foreach (var (path, takes) in Fields)
        {
            foreach (var (json, kind) in Confusions)
            {
                // A stand-in of a type the field takes is not a type confusion.
                if ((takes & kind) != 0)
                {
                    continue;
                }

                var outOfRange = kind == Kinds.OutOfRange && (takes & Kinds.Integer) != 0;
                cases.Add(path, json, outOfRange ? 202 : 4);
            }
        }

        return cases;
    }

    [Fact]
    public async Task The_template_with_every_field_is_accepted()
    {
        var handle = "88.709.911/TYPES-OK";
        var body = JsonNode.Parse(Template)!;
        body["handle"] = handle;

        var (status, json) = await Read(node.Admin.PutAsync("/api/handles/" + handle, Json(body.ToJsonString()), Ct));

        Assert.Equal((201, 1), (status, json.GetProperty("responseCode").GetInt32()));
        Assert.Equal(7, (await Read(node.Admin.GetAsync("/api/handles/" + handle, Ct))).Body.GetProperty("values").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_field_of_the_wrong_json_type_is_refused_with_400_and_nothing_is_stored(string path, string replacement, int responseCode)
    {
        var handle = "88.709.911/T-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(path + "=" + replacement)))[..12];
        var body = JsonNode.Parse(Template)!;
        body["handle"] = handle;
        Replace(body, path, JsonNode.Parse(replacement));

        var (status, json) = await Read(node.Admin.PutAsync("/api/handles/" + handle, Json(body.ToJsonString()), Ct));

        Assert.Equal((400, responseCode), (status, json.GetProperty("responseCode").GetInt32()));
        Assert.Equal(404, (await Read(node.Admin.GetAsync("/api/handles/" + handle, Ct))).Status);
    }

    [Theory]
    [InlineData("\"a\"", 4)]
    [InlineData("null", 4)]
    [InlineData("true", 4)]
    [InlineData("{}", 4)]
    [InlineData("[1]", 4)]
    [InlineData("1.5", 202)]
    [InlineData("-1", 202)]
    public async Task A_value_index_that_is_not_a_whole_number_is_refused_for_every_caller_without_a_500(string index, int responseCode)
    {
        var body = $$"""[{"index":{{index}},"type":"URL","data":"x"}]""";

        var admin = await Read(node.Admin.PutAsync("/api/handles/88.709.911/INDEX-TYPE", Json(body), Ct));
        var anonymous = await Read(node.Anonymous.PutAsync("/api/handles/88.709.911/INDEX-TYPE", Json(body), Ct));

        Assert.Equal((400, responseCode), (admin.Status, admin.Body.GetProperty("responseCode").GetInt32()));
        Assert.Equal((403, 402), (anonymous.Status, anonymous.Body.GetProperty("responseCode").GetInt32()));
    }

    [Fact]
    public async Task A_numeric_string_index_is_read_as_handle_net_reads_it()
    {
        var (status, _) = await Read(node.Admin.PutAsync("/api/handles/88.709.911/INDEX-STRING", Json("""[{"index":"5","type":"URL","data":"https://five.test"}]"""), Ct));
        var stored = await Read(node.Admin.GetAsync("/api/handles/88.709.911/INDEX-STRING", Ct));

        Assert.Equal(201, status);
        Assert.Equal(5, stored.Body.GetProperty("values")[0].GetProperty("index").GetInt32());
    }

    private static void Replace(JsonNode root, string path, JsonNode? replacement)
    {
        var steps = path.Split('/');
        var parent = root;
        foreach (var step in steps[..^1])
        {
            parent = int.TryParse(step, out var i) ? parent[i]! : parent[step]!;
        }

        var last = steps[^1];
        if (int.TryParse(last, out var index))
        {
            parent.AsArray()[index] = replacement;
        }
        else
        {
            parent.AsObject()[last] = replacement;
        }
    }
}
