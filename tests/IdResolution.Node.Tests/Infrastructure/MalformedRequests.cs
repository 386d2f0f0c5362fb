using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using Google.Protobuf;
using IdResolution.Contracts.V1;

namespace IdResolution.Node.Tests.Infrastructure;

/// <summary>Where a generated request goes.</summary>
public enum FuzzTarget
{
    /// <summary>The HTTP/1.1 (JSON) port through HttpClient.</summary>
    Http1,

    /// <summary>The h2c (gRPC) port through HttpClient with HTTP/2 prior knowledge.</summary>
    H2c,

    /// <summary>Bytes written as they are to the HTTP/1.1 port over a fresh TCP connection.</summary>
    Raw,
}

/// <summary>One generated request: what it is for a failure message, and how to send it.</summary>
public sealed class FuzzCase
{
    public required string Category { get; init; }

    public required FuzzTarget Target { get; init; }

    public HttpRequestMessage? Message { get; init; }

    public byte[]? Raw { get; init; }

    public bool IsGrpc { get; init; }

    /// <summary>For raw bytes: whether they end where a request ends, so the node answers without the client closing its side.</summary>
    public bool RawIsComplete { get; init; }

    public string Describe()
    {
        var what = Message is { } m ? $"{m.Method} {m.RequestUri}" : Encoding.Latin1.GetString(Raw ?? []);
        what = what.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return $"[{Category}] {(what.Length > 300 ? what[..300] + "..." : what)}";
    }
}

/// <summary>
/// Malformed requests of every kind a careless or hostile client sends. Every case is made from its
/// own <see cref="Random"/>, so a case is reproduced from the seed and its number alone. Nothing is
/// ever aimed at the prefix <see cref="ProtectedPrefix"/>, whose records must come out unchanged.
/// </summary>
public static class MalformedRequests
{
    public const string ProtectedPrefix = "88.709.960";
    private const string Scratch = "77.7.7";

    private static readonly string[] JsonWriteRoutes =
    [
        "/v1/values:add", "/v1/values:modify", "/v1/values:remove",
        "/v1/handles:batchCreate", "/v1/handles:batchUpdate", "/v1/handles:batchDelete", "/v1/handles:resolveBatch",
    ];

    private static readonly string[] GrpcPaths =
    [
        "/idresolution.v1.Resolution/Resolve", "/idresolution.v1.Resolution/ResolveBatch",
        "/idresolution.v1.Registry/CreateHandle", "/idresolution.v1.Registry/DeleteHandle", "/idresolution.v1.Registry/AddValues",
        "/idresolution.v1.Registry/ModifyValues", "/idresolution.v1.Registry/RemoveValues", "/idresolution.v1.Registry/BatchCreate",
        "/idresolution.v1.Registry/BatchUpdate", "/idresolution.v1.Registry/BatchDelete", "/idresolution.v1.Registry/ListHandles",
        "/grpc.health.v1.Health/Check", "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", "/idresolution.v1.Resolution/Nope", "/x.y.Z/W", "/", "/idresolution.v1.Registry",
    ];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO", "PROPFIND", "M-SEARCH", "get"];

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz", "application/json; charset=utf-16",
        "application/json; charset=latin1", "////", "application/grpc", "application/grpc-web", "application/octet-stream", "json", ";;;=;", "application/json;",
    ];

    public static FuzzCase Create(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var pick = random.Next(100);
        return pick switch
        {
            < 14 => GarbageIdentifier(random),
            < 26 => MalformedJson(random),
            < 32 => WrongContentType(random),
            < 36 => HugeHeaders(random),
            < 44 => BadAuthorization(random),
            < 54 => RandomMethodAndPath(random),
            < 58 => Oversized(random),
            < 90 => GrpcFrames(random),
            _ => RawHttp(random),
        };
    }

    // ---- identifiers ----

    public static string GarbageHandle(Random random) => random.Next(9) switch
    {
        0 => PercentEncode(Bytes(random, random.Next(1, 64))),
        1 => Scratch + "/" + PercentEncode(Bytes(random, random.Next(1, 64))),
        2 => Scratch + "/" + PercentEncode(Enumerable.Range(0, random.Next(1, 16)).Select(_ => (byte)(random.Next(3) == 0 ? 0x7F : random.Next(0x20))).ToArray()),
        3 => Scratch + "/" + Pick(random, ["%C0%AF", "%ED%A0%80", "%F8%88%80%80%80", "%FF%FE", "%E4%BA", "%C3%28", "%E2%82", "%F0%90%28%BC", "%00", "%"]) + "x",
        4 => Scratch + "/" + new string('A', random.Next(250, 20000)),
        5 => Pick(random, ["..", ".", "/", "//", "0.NA/", "0.NA/%FF", "-.-/x", "88..709/x", "88.709.911/", "/x", "a b/c", "%2F%2F", "88.709.911%2Fx", "88.709.911/%2E%2E"]),
        6 => Scratch + "/" + Uri.EscapeDataString(RandomUnicode(random)),
        7 => Pick(random, ["%20" + Scratch + "/x", Scratch + "/x%09", Scratch + "/%E3%80%80x", Scratch + "/x%0D%0A", Scratch + "/e%CC%81"]),
        _ => new string('9', random.Next(1, 300)) + "." + new string('.', random.Next(0, 5)) + "/" + random.Next(),
    };

    private static FuzzCase GarbageIdentifier(Random random)
    {
        var path = "/v1/handles/" + GarbageHandle(random);
        if (random.Next(3) == 0)
        {
            path += "?" + GarbageQuery(random);
        }

        // Over HTTP/2 a path longer than the header limits is a connection error that also ends the other calls on it.
        return Http("identifier", path.Length < 4000 && random.Next(4) == 0 ? FuzzTarget.H2c : FuzzTarget.Http1, HttpMethod.Get, path);
    }

    private static string GarbageQuery(Random random) => string.Join('&', Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(8) switch
    {
        0 => "index=" + Pick(random, ["-1", "abc", "4294967296", "1.5", "", "%00", "99999999999999999999", "0x10"]),
        1 => "type=" + PercentEncode(Bytes(random, random.Next(0, 20))),
        2 => "authoritative=" + Pick(random, ["yes", "2", "", "true", "TRUE", "%FF"]),
        3 => "pageSize=" + Pick(random, ["-1", "0", "1001", "4294967296", "x", "1e3"]),
        4 => "pageToken=" + PercentEncode(Bytes(random, random.Next(0, 80))),
        5 => PercentEncode(Bytes(random, random.Next(1, 10))) + "=" + PercentEncode(Bytes(random, random.Next(0, 10))),
        6 => "handle=" + GarbageHandle(random),
        _ => "&&==&",
    }));

    // ---- JSON bodies ----

    private static readonly string[] ValidBodies =
    [
        $$$$"""{"values":[{"index":1,"type":"URL","data":{"string":"https://fuzz.test/a"}}],"overwrite":true}""",
        $$$$"""{"handle":"{{{{Scratch}}}}/fz-a","values":[{"index":2,"type":"EMAIL","data":{"base64":"AAEC"},"ttlSeconds":60,"permissions":"1110"}]}""",
        $$$$"""{"handle":"{{{{Scratch}}}}/fz-a","indexes":[1,2,3]}""",
        $$$$"""{"handles":["{{{{Scratch}}}}/fz-a","{{{{Scratch}}}}/fz-b"]}""",
        $$$$"""{"items":[{"handle":"{{{{Scratch}}}}/fz-c","values":[{"index":100,"type":"HS_ADMIN","data":{"admin":{"handle":"0.NA/{{{{Scratch}}}}","index":200,"permissions":"011111110011"}}}]}]}""",
        $$$$"""{"items":[{"handle":"{{{{Scratch}}}}/fz-d","values":[{"index":1,"type":"HS_SITE","data":{"site":{"version":1,"protocolVersion":"2.10","servers":[{"serverId":1,"address":"127.0.0.1","publicKey":"AA==","interfaces":[{"query":true,"protocol":"TCP","port":2641}]}]}}}],"removeIndexes":[5]}]}""",
        $$$$"""{"values":[{"index":3,"type":"HS_VLIST","data":{"vlist":{"entries":[{"handle":"0.NA/{{{{Scratch}}}}","index":300}]}},"ttlExpiresAt":"2030-01-01T00:00:00Z","references":[{"handle":"{{{{Scratch}}}}/r","index":1}]}]}""",
    ];

    private static readonly string[] WrongTypes =
    [
        """{"values":[{"index":"abc","type":"URL"}]}""", """{"values":[{"index":-1}]}""", """{"values":[{"index":4294967296}]}""",
        """{"values":[{"index":1.5}]}""", """{"values":[{"index":1,"ttlSeconds":"x"}]}""", """{"values":[{"index":1,"data":5}]}""",
        """{"values":[{"index":1,"type":"URL","data":{"base64":"!!!"}}]}""", """{"values":[{"index":1,"type":"URL","data":{"hex":"zz"}}]}""",
        """{"values":[{"index":1,"type":"URL","permissions":"2x"}]}""", """{"values":[{"index":1,"type":null}]}""", """{"handles":"notarray"}""",
        """{"values":{}}""", """{"values":[{"index":1e400}]}""", """{"values":[{"index":1,"index":2}]}""", """{"values":[{"index":NaN}]}""",
        """{"handle":"\ud800","values":[]}""", """{"handle":"77.7.7/\u0000","values":[]}""", """{"values":[{"index":1,"type":"URL","data":{"string":"a","base64":"AA=="}}]}""",
        """{"values":[{"index":1,"type":"URL","ttlSeconds":1,"ttlExpiresAt":"2030-01-01T00:00:00Z"}]}""", """{"values":[{"index":1,"ttlExpiresAt":"yesterday"}]}""",
        """{"values":[{"index":1,"type":"HS_ADMIN","data":{"admin":{"handle":"","index":0,"permissions":"1"}}}]}""", """{"items":[null]}""",
        """{"values":[null,null]}""", """{"values":[{"index":1,"type":"HS_SITE","data":{"site":{"hashOption":99,"servers":[{"address":"not an ip"}]}}}]}""",
        """{"pageSize":"many"}""", "null", "[]", "\"\"", "0", "true", "{}", """{"":""}""", "{\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":{\"string\":\"\u202e\u0007\"}}]}",
        """{"values":[{"index":1,"type":"URL","data":{"vlist":{"entries":[{"handle":"x"}]}}}]}""", """{"values":[{"index":1,"type":"URL","references":[{"handle":"","index":-5}]}]}""",
    ];

    private static FuzzCase MalformedJson(Random random)
    {
        byte[] body;
        string kind;
        switch (random.Next(7))
        {
            case 0:
                var valid = Pick(random, ValidBodies);
                body = Encoding.UTF8.GetBytes(valid[..random.Next(valid.Length)]);
                kind = "truncated";
                break;
            case 1:
                body = Encoding.UTF8.GetBytes(Nested(random));
                kind = "nested";
                break;
            case 2:
                body = Encoding.UTF8.GetBytes(Pick(random, WrongTypes));
                kind = "wrong-types";
                break;
            case 3:
                body = Bytes(random, random.Next(0, 200));
                kind = "random-bytes";
                break;
            case 4:
                body = Mutate(random, Encoding.UTF8.GetBytes(Pick(random, ValidBodies)));
                kind = "mutated";
                break;
            case 5:
                // Invalid UTF-8 inside a JSON string, or a byte-order mark in front.
                var prefix = Encoding.UTF8.GetBytes("{\"handle\":\"" + Scratch + "/");
                body = random.Next(2) == 0
                    ? [.. prefix, .. Bytes(random, random.Next(1, 20)), .. "\",\"values\":[]}"u8]
                    : [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Pick(random, ValidBodies))];
                kind = "bad-utf8";
                break;
            default:
                body = Encoding.UTF8.GetBytes(RandomJson(random, 0));
                kind = "random-json";
                break;
        }

        var (method, path) = JsonRoute(random);
        var message = Message(method, path, random.Next(5) == 0 ? FuzzTarget.H2c : FuzzTarget.Http1);
        message.Content = new ByteArrayContent(body);
        message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        return new FuzzCase { Category = "json-" + kind, Target = message.Version.Major == 2 ? FuzzTarget.H2c : FuzzTarget.Http1, Message = message };
    }

    private static (HttpMethod Method, string Path) JsonRoute(Random random) => random.Next(3) == 0
        ? (HttpMethod.Put, $"/v1/handles/{Scratch}/fz-{random.Next(1000)}")
        : (HttpMethod.Post, Pick(random, JsonWriteRoutes));

    private static string Nested(Random random)
    {
        var depth = Pick(random, [65, 101, 200, 1000, 10_000, 100_000]);
        var open = random.Next(2) == 0 ? "[" : "{\"a\":";
        var close = open == "[" ? "]" : "}";
        var inner = new StringBuilder(depth * (open.Length + close.Length) + 32);
        for (var i = 0; i < depth; i++)
        {
            inner.Append(open);
        }

        inner.Append('1');
        for (var i = 0; i < depth; i++)
        {
            inner.Append(close);
        }

        return random.Next(3) switch
        {
            0 => inner.ToString(),
            1 => "{\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":" + inner + "}]}",
            _ => "{\"handles\":" + inner + "}",
        };
    }

    private static string RandomJson(Random random, int depth) => (depth > 4 ? random.Next(4) : random.Next(7)) switch
    {
        0 => random.Next().ToString(CultureInfo.InvariantCulture),
        1 => "\"" + Pick(random, ["x", "\\u0000", "\\ud800", "\\", "88.709.911/x", "\\uZZZZ"]) + "\"",
        2 => Pick(random, ["null", "true", "-0", "1e999", "-", "tru", "\"", "[", "}"]),
        3 => "\"" + new string('z', random.Next(0, 100)) + "\"",
        4 => "[" + string.Join(',', Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomJson(random, depth + 1))) + "]",
        _ => "{" + string.Join(',', Enumerable.Range(0, random.Next(0, 4)).Select(_ =>
            "\"" + Pick(random, ["values", "handle", "handles", "items", "index", "type", "data", "indexes", "overwrite", "x"]) + "\":" + RandomJson(random, depth + 1))) + "}",
    };

    // ---- content types, headers, authorization ----

    private static FuzzCase WrongContentType(Random random)
    {
        var (method, path) = JsonRoute(random);
        var message = Message(method, path, FuzzTarget.Http1);
        message.Content = new ByteArrayContent(random.Next(2) == 0 ? Encoding.UTF8.GetBytes(Pick(random, ValidBodies)) : Bytes(random, random.Next(0, 100)));
        if (random.Next(6) != 0)
        {
            message.Content.Headers.TryAddWithoutValidation("Content-Type", Pick(random, ContentTypes));
        }

        return new FuzzCase { Category = "content-type", Target = FuzzTarget.Http1, Message = message };
    }

    private static FuzzCase HugeHeaders(Random random)
    {
        var message = Message(HttpMethod.Get, $"/v1/handles/{Scratch}/fz-1", FuzzTarget.Http1);
        switch (random.Next(3))
        {
            case 0:
                message.Headers.TryAddWithoutValidation("X-Big", new string('a', random.Next(33_000, 200_000)));
                break;
            case 1:
                for (var i = 0; i < random.Next(101, 400); i++)
                {
                    message.Headers.TryAddWithoutValidation("X-H" + i.ToString(CultureInfo.InvariantCulture), "v");
                }

                break;
            default:
                message.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", Enumerable.Range(0, 3000).Select(i => $"c{i}=zzzzzzzzzz")));
                break;
        }

        return new FuzzCase { Category = "huge-headers", Target = FuzzTarget.Http1, Message = message };
    }

    public static string GarbageAuthorization(Random random) => random.Next(10) switch
    {
        0 => "Bearer " + Base64Url(Bytes(random, random.Next(1, 40))) + "." + Base64Url(Bytes(random, random.Next(1, 200))) + "." + Base64Url(Bytes(random, random.Next(0, 80))),
        1 => "Bearer " + Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8.ToArray()) + "." + Base64Url("{\"sub\":\"300:0.NA/88.709.960\",\"exp\":99999999999}"u8.ToArray()) + ".",
        2 => Pick(random, ["Bearer", "Bearer ", "Bearer  x", "bearer x.y.z", "Bearer ....", "Bearer a.b.c.d.e", "Bearer " + new string('A', 9000)]),
        3 => "Basic " + Pick(random, ["%%%", "=", "====", "YQ", "not base64!", ""]),
        4 => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(random.Next(2) == 0 ? "nocolon" : ":")),
        5 => "Basic " + Convert.ToBase64String(Bytes(random, random.Next(0, 60))),
        6 => "Handle " + Pick(random, ["", "sessionId=", "id=\"300:0.NA/x\"", "id=\"300:0.NA/x\", type=\"HS_PUBKEY\", nonce=\"!!\", signature=\"\"", "version=\"0\",,,", "cnonce=\"" + new string('x', 5000) + "\""]),
        7 => Pick(random, ["", " ", "Negotiate", "Digest username=\"a\"", "Bearer\tx", "NTLM TlRMTVNTUAAB"]),
        8 => Encoding.Latin1.GetString(Bytes(random, random.Next(1, 60)).Select(b => (byte)(b < 0x20 || b == 0x7F ? b | 0x40 : b)).ToArray()),
        _ => "Handle " + Base64Url(Bytes(random, random.Next(1, 100))),
    };

    private static FuzzCase BadAuthorization(Random random)
    {
        var target = random.Next(4) == 0 ? FuzzTarget.H2c : FuzzTarget.Http1;
        if (target == FuzzTarget.H2c && random.Next(2) == 0)
        {
            var grpc = GrpcFrames(random);
            grpc.Message!.Headers.TryAddWithoutValidation("Authorization", Latin1Safe(GarbageAuthorization(random)));
            return new FuzzCase { Category = "authorization-grpc", Target = grpc.Target, Message = grpc.Message, IsGrpc = true };
        }

        var message = random.Next(3) switch
        {
            0 => Message(HttpMethod.Get, $"/v1/handles/{Scratch}/fz-{random.Next(100)}", target),
            1 => Message(HttpMethod.Put, $"/v1/handles/{Scratch}/fz-{random.Next(100)}", target),
            _ => Message(HttpMethod.Post, "/identity/token", target),
        };
        if (message.Method != HttpMethod.Get)
        {
            message.Content = new StringContent(Pick(random, ValidBodies), Encoding.UTF8, "application/json");
        }

        message.Headers.TryAddWithoutValidation("Authorization", target == FuzzTarget.H2c ? Latin1Safe(GarbageAuthorization(random)) : GarbageAuthorization(random));
        return new FuzzCase { Category = "authorization", Target = target, Message = message };
    }

    private static string Latin1Safe(string value) => new(value.Select(c => c > 0x7E ? '?' : c).ToArray());

    // ---- methods and paths ----

    private static FuzzCase RandomMethodAndPath(Random random)
    {
        var method = new HttpMethod(Pick(random, Methods));
        var path = random.Next(17) switch
        {
            0 => "/",
            1 => "/v1/handles",
            2 => "/v1/handles/",
            3 => "/v1/handles/" + GarbageHandle(random),
            4 => "/v1/prefixes/" + Pick(random, [Scratch, "%FF", "..", "", "88.709.911/x", new string('9', 300)]) + "/handles?" + GarbageQuery(random),
            5 => "/v1/handles:" + Pick(random, ["resolveBatch", "batchCreate", "nope", "", "%00"]),
            6 => "/v1/values:" + Pick(random, ["add", "modify", "remove", "x"]),
            7 => Pick(random, ["/healthz", "/readyz", "/metrics", "/healthz/x", "/metrics?x=%FF"]),
            8 => "/identity/token",
            9 => Pick(random, GrpcPaths),
            10 => "/api/handles/" + GarbageHandle(random),
            11 => "/%2e%2e/%2e%2e/etc/passwd",
            12 => "/v1//handles//" + Scratch + "//x",
            13 => "/v1/handles/" + Scratch + "/x?" + GarbageQuery(random),
            14 => "/" + PercentEncode(Bytes(random, random.Next(1, 40))),
            15 => "/v2/" + random.Next(),
            _ => "/v1/prefixes/" + Scratch + "/handles?pageToken=" + Base64Url(Bytes(random, random.Next(0, 60))) + "&pageSize=" + random.Next(-5, 5000),
        };
        var target = random.Next(4) == 0 ? FuzzTarget.H2c : FuzzTarget.Http1;
        var message = Message(method, path, target);
        if (method.Method is not ("GET" or "HEAD" or "TRACE" or "get") && random.Next(2) == 0)
        {
            message.Content = new ByteArrayContent(random.Next(2) == 0 ? Encoding.UTF8.GetBytes(Pick(random, ValidBodies)) : Bytes(random, random.Next(0, 64)));
            message.Content.Headers.TryAddWithoutValidation("Content-Type", random.Next(2) == 0 ? "application/json" : Pick(random, ContentTypes));
        }

        return new FuzzCase { Category = "method-path", Target = target, Message = message };
    }

    // ---- oversized ----

    private static FuzzCase Oversized(Random random)
    {
        string json;
        var path = "/v1/handles:batchCreate";
        var method = HttpMethod.Post;
        var expectContinue = false;
        switch (random.Next(8))
        {
            case 0:
                path = $"/v1/handles/{Scratch}/big-{random.Next(100)}";
                method = HttpMethod.Put;
                json = "{\"values\":[" + string.Join(',', Enumerable.Range(1, 600).Select(i => $"{{\"index\":{i},\"type\":\"URL\",\"data\":{{\"string\":\"u\"}}}}")) + "]}";
                break;
            case 1:
                path = $"/v1/handles/{Scratch}/big-{random.Next(100)}";
                method = HttpMethod.Put;
                json = "{\"values\":[{\"index\":1,\"type\":\"DESC\",\"data\":{\"string\":\"" + new string('v', 40 * 1024) + "\"}}]}";
                break;
            case 2:
                path = $"/v1/handles/{Scratch}/big-{random.Next(100)}";
                method = HttpMethod.Put;
                json = "{\"values\":[" + string.Join(',', Enumerable.Range(1, 9).Select(i => $"{{\"index\":{i},\"type\":\"DESC\",\"data\":{{\"string\":\"{new string('w', 31 * 1024)}\"}}}}")) + "]}";
                break;
            case 3:
                json = "{\"items\":[" + string.Join(',', Enumerable.Range(0, 2001).Select(i => $"{{\"handle\":\"{Scratch}/b{i}\"}}")) + "]}";
                break;
            case 4:
                path = "/v1/handles:resolveBatch";
                json = "{\"handles\":[" + string.Join(',', Enumerable.Range(0, 1001).Select(i => $"\"{Scratch}/r{i}\"")) + "]}";
                break;
            case 5:
                path = $"/v1/handles/{Scratch}/{new string('h', 300)}";
                method = HttpMethod.Put;
                json = Pick(random, ValidBodies);
                break;
            case 6 when random.Next(40) == 0:
                // Over the 8 MiB request limit: refused with 413 before parsing.
                path = $"/v1/handles/{Scratch}/huge";
                method = HttpMethod.Put;
                json = "{\"values\":[{\"index\":1,\"type\":\"DESC\",\"data\":{\"string\":\"" + new string('x', 9 * 1024 * 1024) + "\"}}]}";
                expectContinue = true;
                break;
            default:
                path = $"/v1/handles/{new string('8', 70)}.1/x";
                method = HttpMethod.Put;
                json = Pick(random, ValidBodies);
                break;
        }

        var message = Message(method, path, FuzzTarget.Http1);
        message.Content = new StringContent(json, Encoding.UTF8, "application/json");
        message.Headers.ExpectContinue = expectContinue;
        return new FuzzCase { Category = "oversized", Target = FuzzTarget.Http1, Message = message };
    }

    // ---- gRPC ----

    private static FuzzCase GrpcFrames(Random random)
    {
        var path = random.Next(10) == 0 ? "/" + PercentEncode(Bytes(random, random.Next(1, 30))) + "/" + random.Next() : Pick(random, GrpcPaths);
        var valid = ValidGrpcMessage(random, path);
        byte[] body;
        string kind;
        switch (random.Next(10))
        {
            case 0:
                body = Bytes(random, random.Next(0, 200));
                kind = "random-bytes";
                break;
            case 1:
                body = Frame(0, Bytes(random, random.Next(0, 300)));
                kind = "random-payload";
                break;
            case 2:
                var shortBody = Frame(0, valid.Length > 0 ? valid : [1, 2, 3]);
                BinaryPrimitives.WriteUInt32BigEndian(shortBody.AsSpan(1), (uint)(valid.Length + random.Next(1, 1_000_000)));
                body = shortBody;
                kind = "truncated";
                break;
            case 3:
                body = [.. Frame(0, valid), .. Bytes(random, random.Next(1, 10))];
                kind = "trailing-bytes";
                break;
            case 4:
                body = Frame(1, Bytes(random, random.Next(0, 50)));
                kind = "compressed";
                break;
            case 5:
            case 6:
                body = Frame(0, Mutate(random, valid));
                kind = "mutated";
                break;
            case 7:
                body = [.. Frame(0, valid), .. Frame(0, valid)];
                kind = "two-messages";
                break;
            case 8:
                body = Frame(0, RawStringField(random));
                kind = "raw-strings";
                break;
            default:
                body = random.Next(2) == 0 ? [] : Frame(0, valid);
                kind = "empty-or-valid";
                break;
        }

        var message = Message(HttpMethod.Post, path, FuzzTarget.H2c);
        message.Content = new ByteArrayContent(body);
        message.Content.Headers.TryAddWithoutValidation("Content-Type", random.Next(12) switch
        {
            0 => "application/grpc+proto",
            1 => "application/grpc+json",
            2 => Pick(random, ContentTypes),
            _ => "application/grpc",
        });
        message.Headers.TryAddWithoutValidation("TE", "trailers");
        if (random.Next(6) == 0)
        {
            message.Headers.TryAddWithoutValidation("grpc-encoding", Pick(random, ["gzip", "identity", "deflate", "zstd", "x", ""]));
        }

        if (random.Next(10) == 0)
        {
            message.Headers.TryAddWithoutValidation("grpc-timeout", Pick(random, ["1n", "x", "99999999999H", "-1S", "1", "10S"]));
        }

        if (random.Next(20) == 0)
        {
            message.Headers.TryAddWithoutValidation("grpc-accept-encoding", "zz, ,,");
        }

        return new FuzzCase { Category = "grpc-" + kind, Target = FuzzTarget.H2c, Message = message, IsGrpc = true };
    }

    private static byte[] ValidGrpcMessage(Random random, string path)
    {
        var handle = $"{Scratch}/fz-{random.Next(1000)}";
        var value = Values.Url((uint)random.Next(1, 5), "https://fuzz.test/" + random.Next());
        IMessage message = path switch
        {
            "/idresolution.v1.Resolution/Resolve" => new ResolveRequest { Handle = handle, Type = { "URL" }, Index = { 1 } },
            "/idresolution.v1.Resolution/ResolveBatch" => new ResolveBatchRequest { Handles = { handle, handle + "x" } },
            "/idresolution.v1.Registry/CreateHandle" => new CreateHandleRequest { Handle = handle, Values = { value }, Overwrite = true },
            "/idresolution.v1.Registry/DeleteHandle" => new DeleteHandleRequest { Handle = handle },
            "/idresolution.v1.Registry/AddValues" or "/idresolution.v1.Registry/ModifyValues" => new ValuesRequest { Handle = handle, Values = { value } },
            "/idresolution.v1.Registry/RemoveValues" => new RemoveValuesRequest { Handle = handle, Indexes = { 1, 2 } },
            "/idresolution.v1.Registry/BatchCreate" => new BatchCreateRequest { Items = { new CreateHandleRequest { Handle = handle, Values = { value } } } },
            "/idresolution.v1.Registry/BatchUpdate" => new BatchUpdateRequest { Items = { new UpdateItem { Handle = handle, Values = { value }, RemoveIndexes = { 3 } } } },
            "/idresolution.v1.Registry/BatchDelete" => new BatchDeleteRequest { Handles = { handle } },
            "/idresolution.v1.Registry/ListHandles" => new ListHandlesRequest { Prefix = Scratch, PageSize = 5, PageToken = Base64Url(Bytes(random, random.Next(0, 30))) },
            "/grpc.health.v1.Health/Check" => new Grpc.Health.V1.HealthCheckRequest { Service = random.Next(2) == 0 ? string.Empty : "x" },
            _ => new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = string.Empty },
        };
        return message.ToByteArray();
    }

    /// <summary>Field 1 (the handle or first string of most requests) holding bytes that need not be UTF-8.</summary>
    private static byte[] RawStringField(Random random)
    {
        var text = random.Next(2) == 0 ? Bytes(random, random.Next(0, 60)) : [.. Encoding.UTF8.GetBytes(Scratch + "/"), .. Bytes(random, random.Next(0, 30))];
        return [0x0A, .. Varint((uint)text.Length), .. text];
    }

    private static byte[] Varint(uint value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    private static byte[] Frame(byte flag, byte[] payload)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    // ---- raw HTTP/1.1 ----

    private static FuzzCase RawHttp(Random random)
    {
        var target = Encoding.Latin1.GetBytes("/v1/handles/" + Scratch + "/");
        var template = random.Next(12);
        byte[] request = template switch
        {
            0 => [.. "GET "u8, .. target, .. Bytes(random, random.Next(1, 40)).Where(b => b is not ((byte)' ' or (byte)'\r' or (byte)'\n')), .. " HTTP/1.1\r\nHost: x\r\n\r\n"u8],
            1 => [.. "GET "u8, .. target, .. Enumerable.Range(0, random.Next(1, 8)).Select(_ => (byte)random.Next(0x20)), .. " HTTP/1.1\r\nHost: x\r\n\r\n"u8],
            2 => [.. "GET "u8, .. target, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xFF, .. " HTTP/1.1\r\nHost: x\r\n\r\n"u8],
            3 => Encoding.Latin1.GetBytes(Pick(random, ["GET / HTTP/1.1\nHost: x\n\n", "GET / HTTP/9.9\r\nHost: x\r\n\r\n", "GET /\r\n\r\n", "GET\r\n\r\n", " / HTTP/1.1\r\n\r\n", "GET  /  HTTP/1.1\r\nHost: x\r\n\r\n", "\r\n\r\n\r\n"])),
            4 => Encoding.Latin1.GetBytes("GET /healthz HTTP/1.1\r\nHost: x\r\n" + Pick(random, ["NoColon\r\n", "Bad Name: v\r\n", ": empty\r\n", " folded: v\r\n", "X: a\r\n b\r\n", "X\u0000Y: z\r\n", "X: \u0000\r\n", "\u00ff\u00fe: v\r\n"]) + "\r\n"),
            5 => Encoding.Latin1.GetBytes("PUT /v1/handles/" + Scratch + "/raw HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + Pick(random, ["Content-Length: -1\r\n", "Content-Length: 1, 2\r\n", "Content-Length: 5\r\nContent-Length: 6\r\n", "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n", "Content-Length: 99999999999999999999\r\n", "Content-Length: x\r\n"]) + "\r\n{}}"),
            6 => Encoding.Latin1.GetBytes("POST /v1/handles:resolveBatch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + Pick(random, ["zz\r\n{}\r\n0\r\n\r\n", "2\r\n{}\r\n", "ffffffffffffffff\r\n{", "2;ext=\u0001\r\n{}\r\n0\r\n\r\n", "-1\r\n\r\n", "2\r\n{}0\r\n\r\n"])),
            7 => Encoding.Latin1.GetBytes("POST /v1/values:add HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"handle\":"),
            8 => Encoding.Latin1.GetBytes("GET /v1/handles/" + Scratch + "/x HTTP/1.1\r\n" + Pick(random, ["", "Host: a\r\nHost: b\r\n", "Host: \u00ff\r\n", "Host: [::1\r\n", "Host: a b\r\n"]) + "\r\n"),
            9 => Encoding.Latin1.GetBytes("GET /" + new string('a', random.Next(8200, 40_000)) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
            10 => [.. Encoding.Latin1.GetBytes(Pick(random, ["GET", "PUT", "POST", "\u0000", "G\u00c9T", "GET\t"])), (byte)' ', .. Bytes(random, random.Next(0, 60)), .. " HTTP/1.1\r\n\r\n"u8],
            _ => Bytes(random, random.Next(1, 300)),
        };
        // Bodies shorter than declared, broken chunks, random bytes and bare empty lines (which a
        // server skips while it waits for a request) need the client's end of stream.
        var complete = template is not (5 or 6 or 7 or 11) && request[0] != (byte)'\r';
        return new FuzzCase { Category = "raw-http1", Target = FuzzTarget.Raw, Raw = request, RawIsComplete = complete };
    }

    // ---- helpers ----

    private static HttpRequestMessage Message(HttpMethod method, string path, FuzzTarget target) => new(method, new Uri(path, UriKind.Relative))
    {
        Version = target == FuzzTarget.H2c ? HttpVersion.Version20 : HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    private static FuzzCase Http(string category, FuzzTarget target, HttpMethod method, string path) =>
        new() { Category = category, Target = target, Message = Message(method, path, target) };

    private static T Pick<T>(Random random, IReadOnlyList<T> options) => options[random.Next(options.Count)];

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] original)
    {
        var bytes = (byte[])original.Clone();
        if (bytes.Length == 0)
        {
            return [(byte)random.Next(256)];
        }

        for (var i = random.Next(1, 6); i > 0; i--)
        {
            var at = random.Next(bytes.Length);
            bytes[at] = random.Next(3) switch
            {
                0 => (byte)(bytes[at] ^ (1 << random.Next(8))),
                1 => (byte)random.Next(256),
                _ => 0xFF,
            };
        }

        return random.Next(4) == 0 ? bytes[..random.Next(bytes.Length)] : bytes;
    }

    /// <summary>Every byte outside the unreserved set as %XX, so HttpClient sends the bytes as they are.</summary>
    private static string PercentEncode(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'~')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string RandomUnicode(Random random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(1, 20); i > 0; i--)
        {
            var codePoint = random.Next(6) switch
            {
                0 => random.Next(0x300, 0x370),   // combining marks (NFC changes)
                1 => random.Next(0x590, 0x700),   // right-to-left scripts
                2 => Pick(random, [0x200B, 0x200E, 0x202E, 0xFEFF, 0x2028, 0xFFFD, 0x3000]),
                3 => random.Next(0x4E00, 0x9FFF),
                4 => random.Next(0x1F300, 0x1FAFF),
                _ => random.Next(0x21, 0x7F),
            };
            text.Append(char.ConvertFromUtf32(codePoint));
        }

        return text.ToString();
    }
}
