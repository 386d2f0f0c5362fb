using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using IdResolution.Core.Administration;
using IdResolution.Core.Composition;
using IdResolution.Core.Records;
using IdResolution.Core.Security;
using IdResolution.Core.Telemetry;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Administration;

/// <summary>
/// Admitted child nodes on a node holding 88: the prefix handle values of an admission, re-admission as key
/// rotation, suspension, the listing, what is refused (with nothing stored), and lookup by credential.
/// </summary>
public sealed class NodeDirectoryTests : IDisposable
{
    private static readonly Caller Admin = TestCallers.Administrator;
    private readonly Node _node = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _node.Dispose();
        _key.Dispose();
        _newKey.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private NodeDirectory Nodes => _node.Core.Nodes;

    private string Key => NodeCredential.ForKey(_key).ToString();

    private string NewKey => NodeCredential.ForKey(_newKey).ToString();

    private static string Cert(char digit) => "cert:" + new string(digit, 64);

    [Fact]
    public async Task Admitting_a_node_writes_its_values_on_the_prefix_handle_and_delegates_it()
    {
        var admitted = await Nodes.AdmitAsync(Admin, "88.709", "secondary-a", [Key], Ct);

        Assert.True(admitted.IsSuccess, admitted.Message);
        var record = (await _node.Store.GetAsync("0.NA/88.709", Ct))!;
        Assert.True(NodeDelegation.IsDelegated(record));
        Assert.Equal("active", Values.DataText(record.Find(2)!));
        Assert.Equal(ReservedTypes.PrefixStatus, record.Find(2)!.Type);
        using (var node = JsonDocument.Parse(record.Find(3)!.Data))
        {
            Assert.Equal(ReservedTypes.Node, record.Find(3)!.Type);
            Assert.Equal("secondary-a", node.RootElement.GetProperty("name").GetString());
            Assert.Equal("2025-01-01T00:00:00Z", node.RootElement.GetProperty("admittedAt").GetString());
        }

        Assert.True(AdminValue.TryDecode(record.Find(101)!.Data.Span, out var admin));
        Assert.Equal(new AdminValue("0.NA/88.709", 300, AdminPermissions.AddDerivedPrefix | AdminPermissions.DeleteDerivedPrefix
            | AdminPermissions.AddValue | AdminPermissions.ModifyValue | AdminPermissions.RemoveValue | AdminPermissions.ReadValue), admin);
        Assert.Equal((ReservedTypes.NodeCredential, Key), (record.Find(300)!.Type, Values.DataText(record.Find(300)!)));
        Assert.False(record.Find(300)!.Permissions.HasFlag(ValuePermissions.PublicRead));
        Assert.Null(record.Find(301));

        Assert.Equal(new[] { "88.709", "secondary-a" }, new[] { admitted.Value.Prefix, admitted.Value.Name });
        Assert.False(admitted.Value.Suspended);
        Assert.Equal(Node.Start, admitted.Value.StatusSince);
        Assert.Contains(_node.Audit.Entries, e => e.Target == "0.NA/88.709" && e.ResponseCode == 1 && e.Who == Admin.Name);
    }

    [Fact]
    public async Task An_allocated_enterprise_prefix_keeps_its_values_when_its_own_node_is_admitted()
    {
        Assert.True((await _node.Core.Accounts.CreateAsync(Admin, "acme", "acme-password", AccountRole.Enterprise, Ct)).IsSuccess);
        Assert.True((await _node.Core.Prefixes.AllocateAsync(Admin, "88.709.911", "acme", Ct)).IsSuccess);
        var acme = Caller.Admin(new ValueReference("0.USER/acme", 300), "acme", "127.0.0.1");
        Assert.True((await _node.Registrar.AddValuesAsync(acme, "0.NA/88.709.911", [Site(5, "127.0.0.5")], Ct)).IsSuccess);
        var before = (await _node.Store.GetAsync("0.NA/88.709.911", Ct))!;
        _node.Time.Advance(TimeSpan.FromHours(1));

        var admitted = await Nodes.AdmitAsync(Admin, "88.709.911", "acme-node", [Cert('a')], Ct);

        Assert.True(admitted.IsSuccess, admitted.Message);
        var after = (await _node.Store.GetAsync("0.NA/88.709.911", Ct))!;
        foreach (var kept in before.Values)
        {
            Assert.Equal(kept, after.Find(kept.Index));
        }

        Assert.NotNull(after.Find(101));
        Assert.Equal("127.0.0.5", Assert.Single(admitted.Value.Sites).Servers[0].Address.ToString());
        Assert.Equal("acme", (await _node.Core.Prefixes.ListAsync(Admin, Ct)).Value!.Single(p => p.Prefix == "88.709.911").Owner);

        // Active since the allocation, admitted an hour later: the status dates from the admission.
        Assert.Equal(Node.Start.AddHours(1), admitted.Value.StatusSince);
    }

    [Fact]
    public async Task Readmission_rotates_the_key_and_keeps_the_sites_and_the_admission_time()
    {
        Assert.True((await Nodes.AdmitAsync(Admin, "88.709", "secondary-a", [Key], Ct)).IsSuccess);
        var child = Caller.Peer("88.709", "127.0.0.1");
        Assert.True((await _node.Registrar.AddValuesAsync(child, "0.NA/88.709", [Site(7, "127.0.0.7")], Ct)).IsSuccess);
        _node.Time.Advance(TimeSpan.FromMinutes(10));

        var both = await Nodes.AdmitAsync(Admin, "88.709", "secondary-a", [Key, NewKey], Ct);
        Assert.Equal(new[] { Key, NewKey }, both.Value!.Credentials.Select(c => c.ToString()));
        var assertion = NodeAssertion.Create(_newKey, "88.709", _node.Time.GetUtcNow(), TimeSpan.FromMinutes(1));
        Assert.Null(NodeAssertion.Verify(assertion, "88.709", both.Value.Credentials.Select(c => c.Value), _node.Time.GetUtcNow()));

        var rotated = await Nodes.AdmitAsync(Admin, "88.709", "secondary-a-dr", [NewKey], Ct);

        Assert.True(rotated.IsSuccess, rotated.Message);
        Assert.Equal(NewKey, Assert.Single(rotated.Value.Credentials).ToString());
        Assert.Equal("secondary-a-dr", rotated.Value.Name);
        var record = (await _node.Store.GetAsync("0.NA/88.709", Ct))!;
        Assert.Null(record.Find(301));
        Assert.NotNull(record.Find(7));
        Assert.Single(rotated.Value.Sites);
        Assert.Equal(Node.Start, rotated.Value.AdmittedAt);
        var old = NodeAssertion.Create(_key, "88.709", _node.Time.GetUtcNow(), TimeSpan.FromMinutes(1));
        Assert.NotNull(NodeAssertion.Verify(old, "88.709", rotated.Value.Credentials.Select(c => c.Value), _node.Time.GetUtcNow()));
    }

    [Fact]
    public async Task A_suspended_node_cannot_change_its_prefix_until_reinstated_and_the_status_says_since_when()
    {
        Assert.True((await Nodes.AdmitAsync(Admin, "88.709", "secondary-a", [Key], Ct)).IsSuccess);
        var child = Caller.Peer("88.709", "127.0.0.1");
        Assert.True((await _node.Registrar.AddValuesAsync(child, "0.NA/88.709", [Site(7, "127.0.0.7")], Ct)).IsSuccess);
        _node.Time.Advance(TimeSpan.FromMinutes(5));

        var suspended = await Nodes.SetSuspendedAsync(Admin, "88.709", true, Ct);

        Assert.True(suspended.Value!.Suspended);
        Assert.Equal(Node.Start.AddMinutes(5), suspended.Value.StatusSince);
        Assert.Single(suspended.Value.Sites);
        var refused = await _node.Registrar.AddValuesAsync(child, "0.NA/88.709", [Site(8, "127.0.0.8")], Ct);
        Assert.Equal(HandleResponseCode.InsufficientPermissions, refused.Code);
        Assert.Contains("suspended", refused.Message, StringComparison.Ordinal);
        Assert.True((await Nodes.FindAsync("88.709", Ct))!.Suspended);

        _node.Time.Advance(TimeSpan.FromMinutes(5));
        var reinstated = await Nodes.SetSuspendedAsync(Admin, "88.709", false, Ct);
        Assert.False(reinstated.Value!.Suspended);
        Assert.Equal(Node.Start.AddMinutes(10), reinstated.Value.StatusSince);
        Assert.True((await _node.Registrar.AddValuesAsync(child, "0.NA/88.709", [Site(8, "127.0.0.8")], Ct)).IsSuccess);
    }

    [Fact]
    public async Task An_admitted_node_creates_prefix_handles_under_its_own_prefix_only()
    {
        Assert.True((await Nodes.AdmitAsync(Admin, "88.709", "secondary-a", [Key], Ct)).IsSuccess);
        Assert.True((await Nodes.AdmitAsync(Admin, "88.710", "secondary-b", [NewKey], Ct)).IsSuccess);
        var child = Caller.Peer("88.709", "127.0.0.1");

        Assert.True((await _node.Registrar.CreateAsync(child, new("0.NA/88.709.911", [Site(1, "127.0.0.9")]), Ct)).IsSuccess);
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await _node.Registrar.CreateAsync(child, new("0.NA/88.710.911", [Site(1, "127.0.0.9")]), Ct)).Code);
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await _node.Registrar.AddValuesAsync(child, "0.NA/88.709",
            [new HandleValue { Index = 102, Type = WellKnownTypes.Admin, Data = new AdminValue("0.NA/88.709", 300, AdminPermissions.All).Encode() }], Ct)).Code);
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await _node.Registrar.ModifyValuesAsync(child, "0.NA/88.709",
            [Values.Text(300, ReservedTypes.NodeCredential, NewKey)], Ct)).Code);
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await Nodes.AdmitAsync(child, "88.709.5", "mine", [Cert('5')], Ct)).Code);
    }

    [Fact]
    public async Task The_listing_holds_every_delegated_prefix_handle_and_nothing_else()
    {
        Assert.True((await _node.Core.Accounts.CreateAsync(Admin, "acme", "acme-password", AccountRole.Enterprise, Ct)).IsSuccess);
        Assert.True((await _node.Core.Prefixes.AllocateAsync(Admin, "88.1", "acme", Ct)).IsSuccess);
        Assert.True((await Nodes.AdmitAsync(Admin, "88.709", "secondary-a", [Key], Ct)).IsSuccess);
        Assert.True((await Nodes.AdmitAsync(Admin, "88.710", "secondary-b", [Cert('b'), NewKey], Ct)).IsSuccess);

        var listed = await Nodes.ListAsync(Admin, Ct);

        Assert.Equal(new[] { "88.709", "88.710" }, listed.Value!.Select(n => n.Prefix).Order(StringComparer.Ordinal));
        Assert.Equal(2, listed.Value!.Single(n => n.Prefix == "88.710").Credentials.Count);
        Assert.Null(await Nodes.FindAsync("88.1", Ct));
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await Nodes.ListAsync(Caller.Peer("88.709", "127.0.0.1"), Ct)).Code);
    }

    public static TheoryData<string, string[], HandleResponseCode, string> Refusals => new()
    {
        { "88..1", ["key"], HandleResponseCode.InvalidHandle, "not a valid prefix" },
        { "99.1", ["key"], HandleResponseCode.ServerNotResponsible, "not responsible for '99.1'" },
        { "88", ["key"], HandleResponseCode.InvalidHandle, "this node's own prefix" },
        { "88.709", [], HandleResponseCode.InvalidValue, "one or two credentials" },
        { "88.709", ["key", "new", Cert('c')], HandleResponseCode.InvalidValue, "one or two credentials" },
        { "88.709", ["key:bm90IGEga2V5"], HandleResponseCode.InvalidValue, "not a base64 SubjectPublicKeyInfo of an ECDSA P-256 key" },
        { "88.709", ["cert:abcd"], HandleResponseCode.InvalidValue, "64 hex digits" },
        { "88.709", ["password:x"], HandleResponseCode.InvalidValue, "key:<base64 public key> or cert:<SHA-256 thumbprint>" },
        { "88.709", ["key", "key"], HandleResponseCode.InvalidValue, "given twice" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Bad_admissions_are_refused_with_the_reason_and_store_nothing(string prefix, string[] credentials, HandleResponseCode code, string reason)
    {
        var texts = credentials.Select(c => c switch { "key" => Key, "new" => NewKey, _ => c }).ToList();

        var refused = await Nodes.AdmitAsync(Admin, prefix, "child", texts, Ct);

        Assert.Equal(code, refused.Code);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Null(await _node.Store.GetAsync("0.NA/88.709", Ct));
        Assert.Empty(_node.Audit.Entries);
    }

    [Fact]
    public async Task Callers_names_clashes_and_taken_indexes_are_refused_and_nothing_changes()
    {
        var acme = Caller.Admin(new ValueReference("0.USER/acme", 300), "acme", "127.0.0.1");
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await Nodes.AdmitAsync(acme, "88.709", "a", [Key], Ct)).Code);
        Assert.Equal(HandleResponseCode.AuthenticationNeeded, (await Nodes.AdmitAsync(Caller.Anonymous("127.0.0.1"), "88.709", "a", [Key], Ct)).Code);
        Assert.Equal(HandleResponseCode.InvalidValue, (await Nodes.AdmitAsync(Admin, "88.709", " ", [Key], Ct)).Code);
        Assert.Equal(HandleResponseCode.InvalidValue, (await Nodes.AdmitAsync(Admin, "88.709", "a\nb", [Key], Ct)).Code);

        Assert.True((await Nodes.AdmitAsync(Admin, "88.709", "secondary-a", [Key, Cert('a')], Ct)).IsSuccess);
        var delegated = (await _node.Store.GetAsync("0.NA/88.709", Ct))!;
        var reused = await Nodes.AdmitAsync(Admin, "88.710", "secondary-b", [Cert('a')], Ct);
        Assert.Equal(HandleResponseCode.InvalidValue, reused.Code);
        Assert.Contains("already admitted for node 88.709", reused.Message, StringComparison.Ordinal);
        var nested = await Nodes.AdmitAsync(Admin, "88.709.911", "inside", [Cert('b')], Ct);
        Assert.Equal(HandleResponseCode.ServerNotResponsible, nested.Code);
        Assert.Contains("lies under 88.709", nested.Message, StringComparison.Ordinal);

        Assert.True((await _node.CreateAsync("0.NA/88.720", Values.Url(3, "https://example.com/not-a-node"))).IsSuccess);
        var taken = await Nodes.AdmitAsync(Admin, "88.720", "c", [Cert('c')], Ct);
        Assert.Equal(HandleResponseCode.ValueAlreadyExists, taken.Code);
        Assert.Contains("index 3", taken.Message, StringComparison.Ordinal);
        Assert.False(NodeDelegation.IsDelegated((await _node.Store.GetAsync("0.NA/88.720", Ct))!));
        Assert.Null(await _node.Store.GetAsync("0.NA/88.710", Ct));
        Assert.Null(await _node.Store.GetAsync("0.NA/88.709.911", Ct));
        Assert.Equal(delegated.Version, (await _node.Store.GetAsync("0.NA/88.709", Ct))!.Version);
    }

    [Fact]
    public async Task A_prefix_covering_a_delegated_one_is_refused()
    {
        Assert.True((await Nodes.AdmitAsync(Admin, "88.709.911", "enterprise", [Cert('e')], Ct)).IsSuccess);

        var covering = await Nodes.AdmitAsync(Admin, "88.709", "secondary-a", [Key], Ct);

        Assert.Equal(HandleResponseCode.InvalidHandle, covering.Code);
        Assert.Contains("would cover 88.709.911", covering.Message, StringComparison.Ordinal);
        Assert.Null(await _node.Store.GetAsync("0.NA/88.709", Ct));
    }

    [Fact]
    public async Task Suspending_a_prefix_no_node_was_admitted_for_is_not_found()
    {
        Assert.True((await _node.Core.Accounts.CreateAsync(Admin, "acme", "acme-password", AccountRole.Enterprise, Ct)).IsSuccess);
        Assert.True((await _node.Core.Prefixes.AllocateAsync(Admin, "88.1", "acme", Ct)).IsSuccess);

        Assert.Equal(HandleResponseCode.HandleNotFound, (await Nodes.SetSuspendedAsync(Admin, "88.1", true, Ct)).Code);
        Assert.Equal(HandleResponseCode.HandleNotFound, (await Nodes.SetSuspendedAsync(Admin, "88.2", true, Ct)).Code);
        Assert.False(AuthorizationPolicy.IsSuspended((await _node.Store.GetAsync("0.NA/88.1", Ct))!));
    }

    [Fact]
    public async Task A_certificate_finds_its_node_until_it_is_rotated_out()
    {
        Assert.True((await Nodes.AdmitAsync(Admin, "88.709", "secondary-a", [Cert('a')], Ct)).IsSuccess);
        Assert.True(NodeCredential.TryParse(Cert('a'), out var first, out _));
        Assert.True(NodeCredential.TryParse(Cert('b'), out var second, out _));

        Assert.Equal("88.709", (await Nodes.FindByCredentialAsync(first, Ct))?.Prefix);
        Assert.Null(await Nodes.FindByCredentialAsync(second, Ct));

        Assert.True((await Nodes.AdmitAsync(Admin, "88.709", "secondary-a", [Cert('b')], Ct)).IsSuccess);

        Assert.Null(await Nodes.FindByCredentialAsync(first, Ct));
        Assert.Equal("88.709", (await Nodes.FindByCredentialAsync(second, Ct))?.Prefix);
        Assert.True(NodeCredential.TryParse("cert:" + string.Join(':', Enumerable.Repeat("BB", 32)), out var spelled, out _));
        Assert.Equal("88.709", (await Nodes.FindByCredentialAsync(spelled, Ct))?.Prefix);
    }

    [Fact]
    public async Task Another_instance_finds_a_newly_admitted_credential_after_the_minimum_rebuild_interval()
    {
        using var metrics = NodeMetrics.CreateStandalone();
        using var other = new CoreServices(_node.Store, _node.Audit, _node.Core.Options, _node.Time, metrics);
        Assert.True(NodeCredential.TryParse(Cert('a'), out var credential, out _));
        Assert.Null(await other.Nodes.FindByCredentialAsync(credential, Ct));

        Assert.True((await Nodes.AdmitAsync(Admin, "88.709", "secondary-a", [Cert('a')], Ct)).IsSuccess);

        Assert.Null(await other.Nodes.FindByCredentialAsync(credential, Ct));
        _node.Time.Advance(NodeDirectory.MinimumRebuildInterval);
        Assert.Equal("88.709", (await other.Nodes.FindByCredentialAsync(credential, Ct))?.Prefix);
    }

    [Fact]
    public async Task A_removed_prefix_handle_no_longer_authenticates_its_certificate()
    {
        Assert.True((await Nodes.AdmitAsync(Admin, "88.709", "secondary-a", [Cert('a')], Ct)).IsSuccess);
        Assert.True(NodeCredential.TryParse(Cert('a'), out var credential, out _));
        Assert.NotNull(await Nodes.FindByCredentialAsync(credential, Ct));

        Assert.True((await _node.Core.Prefixes.RemoveAsync(Admin, "88.709", Ct)).IsSuccess);

        Assert.Null(await Nodes.FindByCredentialAsync(credential, Ct));
        Assert.Null(await Nodes.FindAsync("88.709", Ct));
    }

    private static HandleValue Site(int index, string address) => new()
    {
        Index = index,
        Type = WellKnownTypes.Site,
        Data = new SiteInfo
        {
            IsPrimary = true,
            Attributes = [new("grpc", "https://" + address + ":8001")],
            Servers = [new SiteServer(1, IPAddress.Parse(address), Array.Empty<byte>(), [new SiteInterface(SiteServiceType.AdminAndQuery, SiteTransport.Tcp, 2641)])],
        }.Encode(),
    };
}
