namespace IdResolution.Node.Tests.Infrastructure;

/// <summary>
/// What one fuzz worker writes to: its own handles, account and prefixes, so workers never touch
/// each other's records and a refused request can be checked against what its worker stored before.
/// </summary>
public sealed record FuzzTargets(string Handle, string Second, string Third, string Account, string NewAccount, string Prefix, string NewPrefix)
{
    public static FuzzTargets ForWorker(int worker) => new(
        $"88.709.97/tc{worker}-a", $"88.709.97/tc{worker}-b", $"88.709.97/tc{worker}-c",
        $"tc{worker}acct", $"tc{worker}new", $"88.709.8{worker}", $"88.709.7{worker}");

    /// <summary>Every handle a request of this worker may change: its records, accounts and prefix handles.</summary>
    public IReadOnlyList<string> Records =>
        [Handle, Second, Third, "0.USER/" + Account, "0.USER/" + NewAccount, "0.NA/" + Prefix, "0.NA/" + NewPrefix];

    /// <summary>A certificate credential of this worker's own, so admissions of different workers never clash.</summary>
    public string Credential => "cert:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Prefix)));

    public string Fill(string template) => template
        .Replace("{C}", Credential, StringComparison.Ordinal)
        .Replace("{H}", Handle, StringComparison.Ordinal).Replace("{H2}", Second, StringComparison.Ordinal)
        .Replace("{H3}", Third, StringComparison.Ordinal).Replace("{A}", Account, StringComparison.Ordinal)
        .Replace("{A2}", NewAccount, StringComparison.Ordinal).Replace("{P}", Prefix, StringComparison.Ordinal)
        .Replace("{P2}", NewPrefix, StringComparison.Ordinal);
}

/// <summary>
/// One valid request of a JSON surface: the body (or, for a GET, the query) the type-confusion fuzz
/// mutates. Placeholders {H} {H2} {H3} {A} {A2} {P} {P2} {C} are a worker's <see cref="FuzzTargets"/>.
/// </summary>
public sealed record JsonExample(string Surface, string Method, string Path, string? Body, bool AdminOnly = true)
{
    /// <summary>Query parameters of a GET example, which are mutated one at a time in place of a body.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; init; } = [];
}

/// <summary>
/// A valid example of every request with a JSON body (or typed query parameters) the node serves:
/// gRPC-JSON transcoding (resolution, registry, administration), the Handle.Net REST API and the
/// token endpoint. Every field of every value format appears at least once, so the walk reaches it.
/// </summary>
public static class JsonSurfaces
{
    /// <summary>Values in the gRPC-JSON form (values.proto): every data format and both TTL forms.</summary>
    private const string GrpcValues = """
        [
          {"index":1,"type":"URL","data":{"string":"https://tc.test/a"},"ttlSeconds":60,"permissions":"1110",
           "references":[{"handle":"{H2}","index":1}],"timestamp":"2020-01-01T00:00:00Z"},
          {"index":2,"type":"BIN","data":{"base64":"AAEC"},"ttlExpiresAt":"2030-01-01T00:00:00Z"},
          {"index":3,"type":"HEX","data":{"hex":"0a0b"}},
          {"index":100,"type":"HS_ADMIN","data":{"admin":{"handle":"0.NA/88.709","index":200,"permissions":"011111110011"}}},
          {"index":200,"type":"HS_VLIST","data":{"vlist":{"entries":[{"handle":"0.USER/{A}","index":300}]}}},
          {"index":4,"type":"HS_SITE","data":{"site":{"version":1,"protocolVersion":"2.10","serialNumber":1,"primarySite":true,
           "multiPrimary":false,"hashOption":2,"hashFilter":"x","attributes":[{"name":"desc","value":"x"}],
           "servers":[{"serverId":1,"address":"127.0.0.1","publicKey":"AA==","interfaces":[{"query":true,"admin":false,"protocol":"TCP","port":2641}]}]}}}
        ]
        """;

    /// <summary>Values in Handle.Net's JSON (domain notes §4.4): {format, value} data, a bare string, both TTL forms.</summary>
    private const string RestValues = """
        [
          {"index":1,"type":"URL","data":{"format":"string","value":"https://tc.test/r"},"ttl":86400,
           "timestamp":"2020-01-01T00:00:00Z","permissions":"1110","references":[{"handle":"{H2}","index":1}]},
          {"index":2,"type":"DESC","data":"bare text","ttl":"2030-01-01T00:00:00Z"},
          {"index":3,"type":"BIN","data":{"format":"base64","value":"AAEC"}},
          {"index":4,"type":"HEX","data":{"format":"hex","value":"0a0b"}},
          {"index":100,"type":"HS_ADMIN","data":{"format":"admin","value":{"handle":"0.NA/88.709","index":200,"permissions":"011111110011"}}},
          {"index":200,"type":"HS_VLIST","data":{"format":"vlist","value":[{"handle":"0.USER/{A}","index":300}]}},
          {"index":5,"type":"HS_SITE","data":{"format":"site","value":{"version":1,"protocolVersion":"2.10","serialNumber":1,
           "primarySite":true,"multiPrimary":false,"hashOption":2,"hashFilter":"x","attributes":[{"name":"desc","value":"x"}],
           "servers":[{"serverId":1,"address":"127.0.0.1","publicKey":{"format":"base64","value":"AA=="},
           "interfaces":[{"query":true,"admin":false,"protocol":"TCP","port":2641}]}]}}}
        ]
        """;

    private const string RestSingle = """
        {"index":1,"type":"URL","data":{"format":"string","value":"https://tc.test/s"},"ttl":86400,
         "timestamp":"2020-01-01T00:00:00Z","permissions":"1110","references":[{"handle":"{H2}","index":1}]}
        """;

    /// <summary>
    /// Where the backup example writes (the node refuses a directory that is not new or empty); only the unmutated
    /// example can succeed, so one backup is taken per run, and the test that sends it deletes it.
    /// </summary>
    public static string BackupDirectory { get; } = Path.Combine(Path.GetTempPath(), $"idres-tc-backup-{Guid.NewGuid():N}");

    public static IReadOnlyList<JsonExample> All { get; } =
    [
        new("grpc-json create", "PUT", "/v1/handles/{H}", $$"""{"values":{{GrpcValues}},"overwrite":true}"""),
        new("grpc-json add values", "POST", "/v1/values:add", $$"""{"handle":"{H}","values":{{GrpcValues}}}"""),
        new("grpc-json modify values", "POST", "/v1/values:modify", $$"""{"handle":"{H}","values":{{GrpcValues}}}"""),
        new("grpc-json remove values", "POST", "/v1/values:remove", """{"handle":"{H}","indexes":[7,8]}"""),
        new("grpc-json batch create", "POST", "/v1/handles:batchCreate", $$"""{"items":[{"handle":"{H2}","values":{{GrpcValues}},"overwrite":true}]}"""),
        new("grpc-json batch update", "POST", "/v1/handles:batchUpdate", $$"""{"items":[{"handle":"{H2}","values":{{GrpcValues}},"removeIndexes":[9]}]}"""),
        new("grpc-json batch delete", "POST", "/v1/handles:batchDelete", """{"handles":["{H3}"]}"""),
        new("grpc-json resolve batch", "POST", "/v1/handles:resolveBatch", """{"handles":["{H}","{H2}"],"type":["URL"],"index":[1]}""", AdminOnly: false),
        new("admin create account", "POST", "/v1/admin/accounts", """{"name":"{A2}","password":"tc-password-1","administrator":false}"""),
        new("admin suspend account", "POST", "/v1/admin/accounts/{A}:suspend", """{"name":"{A}","suspended":false}"""),
        new("admin allocate prefix", "POST", "/v1/admin/prefixes", """{"prefix":"{P2}","owner":"{A}"}"""),
        new("admin suspend prefix", "POST", "/v1/admin/prefixes/{P}:suspend", """{"prefix":"{P}","suspended":false}"""),
        new("admin rotate signing key", "POST", "/v1/admin/signing-keys:rotate", "{}"),
        new("admin admit node", "POST", "/v1/admin/nodes", """{"prefix":"{P}","name":"tc node","credentials":["{C}"]}"""),
        new("admin suspend node", "POST", "/v1/admin/nodes/{P}:suspend", """{"prefix":"{P}","suspended":false}"""),
        // After the admission above, so the takeover has a child to stand in for; handed back at once (forced: the worker's
        // node never reported a position), so the takeover is not left in force for the requests that follow.
        new("admin declare takeover", "POST", "/v1/admin/nodes/{P}/takeover", """{"prefix":"{P}","reason":"tc takeover"}"""),
        new("admin hand back", "POST", "/v1/admin/nodes/{P}/handback", """{"prefix":"{P}","reason":"tc hand-back","force":true}"""),
        new("admin takeover status", "GET", "/v1/admin/nodes/{P}/takeover", null),
        new("admin backup", "POST", "/v1/admin/backups", $$"""{"directory":"{{BackupDirectory}}"}"""),
        new("admin maintenance", "POST", "/v1/admin/maintenance", """{"node":"{P}","start":"2026-12-20T22:00:00Z","end":"2026-12-20T23:00:00Z","reason":"tc window"}"""),
        new("admin monthly report", "GET", "/v1/admin/reports/2026-11", null) { Query = [new("node", "{P}"), new("format", "json")] },
        new("admin children", "GET", "/v1/admin/children", null),
        new("admin escrow copies", "GET", "/v1/admin/escrow", null),
        new("admin escrow checksums", "GET", "/v1/admin/escrow/{P}/checksums", null),
        new("admin checksums", "GET", "/v1/admin/checksums", null),
        new("rest home prefix", "POST", "/api/prefixes/{P2}", """{"owner":"{A}"}"""),
        new("token", "POST", "/identity/token", $$"""{"username":"{{Tokens.AdministratorName}}","password":"{{Tokens.AdministratorPassword}}"}""", AdminOnly: false),
        new("rest put array", "PUT", "/api/handles/{H}", RestValues),
        new("rest put values", "PUT", "/api/handles/{H}", $$"""{"handle":"{H}","values":{{RestValues}}}"""),
        new("rest put single", "PUT", "/api/handles/{H}", RestSingle),
        new("grpc-json resolve", "GET", "/v1/handles/{H}", null, AdminOnly: false)
        {
            Query = [new("type", "URL"), new("index", "1"), new("authoritative", "true")],
        },
        new("grpc-json list", "GET", "/v1/prefixes/{P}/handles", null) { Query = [new("pageSize", "10"), new("pageToken", "")] },
        new("admin audit", "GET", "/v1/admin/audit", null)
        {
            Query = [new("prefix", "{P}"), new("since", "2026-01-01T00:00:00Z"), new("until", "2030-01-01T00:00:00Z"), new("limit", "10")],
        },
        new("rest resolve", "GET", "/api/handles/{H}", null, AdminOnly: false)
        {
            Query = [new("type", "URL"), new("index", "1"), new("publicOnly", "true"), new("auth", "true")],
        },
        new("rest list", "GET", "/api/handles", null) { Query = [new("prefix", "{P}"), new("page", "0"), new("pageSize", "10")] },
        new("rest prefixes", "GET", "/api/prefixes", null) { Query = [new("page", "0"), new("pageSize", "10")] },
        new("rest delete value", "DELETE", "/api/handles/{H3}", null) { Query = [new("index", "7")] },
    ];
}
