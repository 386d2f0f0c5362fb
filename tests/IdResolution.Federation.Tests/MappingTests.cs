using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using IdResolution.Core;
using IdResolution.Core.Federation;
using IdResolution.Core.Records;
using IdResolution.Federation.Mapping;
using IdResolution.Federation.Tests.Infrastructure;
using Contract = IdResolution.Contracts.V1;

namespace IdResolution.Federation.Tests;

/// <summary>What another node answers, read into the core's model, and what this node sends, as the other node reads it.</summary>
public sealed class MappingTests : OneRemoteNode
{
    private GrpcNodeLink _link = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _link = new GrpcNodeLink(TestLinks.Options(Key));
    }

    public override async ValueTask DisposeAsync()
    {
        _link.Dispose();
        await base.DisposeAsync();
    }

    private RemoteNode Node => TestLinks.Node("88.710", Server.Url);

    [Fact]
    public async Task A_record_comes_back_as_the_home_node_holds_it_values_timestamps_and_version_included()
    {
        var home = SampleRecords.Varied("88.710/ABC-0001");
        Server.Script.Resolve = (_, _) => Task.FromResult(FederationContract.ToResolveReply(RemoteAnswer.Found(home)));

        var answer = await _link.ResolveAsync(Node, "88.710/abc-0001", authoritative: true, Token);

        Assert.Equal(HandleResponseCode.Success, answer.Code);
        Assert.Equal("88.710/ABC-0001", answer.Record!.Handle);
        Assert.Equal(42, answer.Record.Version);
        Assert.Equal(home.Values, answer.Record.Values);
        var request = Assert.IsType<Contract.FederatedResolveRequest>(Assert.Single(Server.Script.Received).Request);
        Assert.Equal("88.710/abc-0001", request.Handle);
        Assert.True(request.Authoritative);
    }

    [Fact]
    public async Task A_reply_written_by_hand_is_read_field_by_field()
    {
        Server.Script.Resolve = (_, _) =>
        {
            var reply = new Contract.FederatedResolveReply { ResponseCode = 1, Handle = "88.710/X", Version = 7 };
            reply.Values.Add(new Contract.HandleValue
            {
                Index = 5,
                Type = "EMAIL",
                Data = new Contract.ValueData { StringValue = "ops@example.com" },
                TtlExpiresAt = new Timestamp { Seconds = 1_900_000_000 },
                Timestamp = new Timestamp { Seconds = 1_790_000_000 },
                Permissions = "1100",
            });
            return Task.FromResult(reply);
        };

        var value = Assert.Single((await _link.ResolveAsync(Node, "88.710/X", authoritative: false, Token)).Record!.Values);

        Assert.Equal(5, value.Index);
        Assert.Equal("EMAIL", value.Type);
        Assert.Equal("ops@example.com", System.Text.Encoding.UTF8.GetString(value.Data.Span));
        Assert.Equal(TtlType.Absolute, value.TtlType);
        Assert.Equal(1_900_000_000, value.Ttl);
        Assert.Equal(1_790_000_000, value.Timestamp);
        Assert.Equal(ValuePermissions.AdminRead | ValuePermissions.AdminWrite, value.Permissions);
    }

    [Fact]
    public async Task A_referral_names_the_node_with_its_sites_primary_first_pins_and_ttl()
    {
        var pin = new string('A', 64);
        var referral = new Referral("88.710", [SampleRecords.Site("https://dr.b.example:8001", primary: false), SampleRecords.Site("https://b.example:8001", primary: true, pin, "b.example")], TimeSpan.FromSeconds(300));
        Server.Script.GetReferral = (_, _) => Task.FromResult(FederationContract.ToReferralReply(RemoteAnswer.Refer(referral)));

        var answer = await _link.GetReferralAsync(Node, "88.710.911/ABC", Token);

        Assert.Equal(HandleResponseCode.PrefixReferral, answer.Code);
        Assert.Equal("88.710", answer.Referral!.Prefix);
        Assert.Equal(TimeSpan.FromSeconds(300), answer.Referral.TimeToLive);
        Assert.False(answer.Referral.Upward);
        // SiteInfo's record equality compares its lists by reference; its wire form compares everything.
        Assert.Equal(referral.Sites.Select(site => site.Encode()), answer.Referral.Sites.Select(site => site.Encode()));
        Assert.Equal(
            [new NodeEndpoint("https://b.example:8001", "https://b.example:8000", "b.example", pin), new NodeEndpoint("https://dr.b.example:8001", "https://dr.b.example:8000")],
            answer.Referral.Node.Endpoints);
        Assert.Equal("88.710.911/ABC", Assert.IsType<Contract.GetReferralRequest>(Assert.Single(Server.Script.Received).Request).Handle);
    }

    [Fact]
    public async Task Handle_codes_in_the_reply_are_answers_not_failures()
    {
        Server.Script.GetReferral = (_, _) => Task.FromResult(new Contract.GetReferralReply { ResponseCode = 301, Message = "no parent and no such prefix" });

        var notFound = await _link.ResolveAsync(Node, "88.710/none", authoritative: false, Token);
        var notResponsible = await _link.GetReferralAsync(Node, "99.1/x", Token);

        Assert.Equal((HandleResponseCode.HandleNotFound, "not found"), (notFound.Code, notFound.Message));
        Assert.Equal((HandleResponseCode.ServerNotResponsible, "no parent and no such prefix"), (notResponsible.Code, notResponsible.Message));
        Assert.Null(notFound.Record);
    }

    [Fact]
    public async Task A_status_the_node_chose_to_answer_with_carries_its_handle_code_and_does_not_count_as_a_failure()
    {
        Server.Script.Resolve = (_, _) => throw Refusal(StatusCode.PermissionDenied, HandleResponseCode.InsufficientPermissions);
        Server.Script.GetReferral = (_, _) => throw new RpcException(new Grpc.Core.Status(StatusCode.Unimplemented, "an older node"));

        for (var i = 0; i < 10; i++)
        {
            var refused = await _link.ResolveAsync(Node, "88.710/secret", authoritative: false, Token);
            Assert.Equal(HandleResponseCode.InsufficientPermissions, refused.Code);
            Assert.Contains("not yours", refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal(HandleResponseCode.OperationNotSupported, (await _link.GetReferralAsync(Node, "88.710/x", Token)).Code);
        Assert.False(_link.IsCircuitOpen(Node));
    }

    [Fact]
    public async Task Filings_reach_the_parent_as_the_child_holds_them_and_each_gets_its_result()
    {
        var changedAt = new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero);
        Filing[] filings =
        [
            new("0.NA/88.709.911", 12, [SampleRecords.Url(1, "https://a.example"), SampleRecords.Varied("x").Values[4]], Removed: false, changedAt),
            new("0.NA/88.709.912", 3, [], Removed: true, changedAt.AddMinutes(1)),
            new("0.NA/88.709.913", 5, [SampleRecords.Url(1, "https://c.example")], Removed: false, changedAt.AddMinutes(2)),
        ];
        Server.Script.File = (request, _) =>
        {
            // One result short: the third filing must not be taken as filed.
            var reply = new Contract.FileReply();
            reply.Results.Add(new Contract.FilingResult { Handle = request.Filings[0].Handle, ResponseCode = 1, Applied = true });
            reply.Results.Add(new Contract.FilingResult { Handle = request.Filings[1].Handle, ResponseCode = 1, Applied = false, Message = "older than held" });
            return Task.FromResult(reply);
        };

        var results = await _link.FileAsync(TestLinks.Node("88", Server.Url), filings, Token);

        var sent = Assert.IsType<Contract.FileRequest>(Assert.Single(Server.Script.Received).Request).Filings.Select(f => FederationContract.ToCore(f).Value).ToList();
        Assert.Equal(filings.Select(f => (f.Handle, f.Version, f.Removed, f.ChangedAt)), sent.Select(f => (f!.Handle, f.Version, f.Removed, f.ChangedAt)));
        Assert.All(filings.Zip(sent), pair => Assert.Equal(pair.First.Values, pair.Second!.Values));
        Assert.Equal(
            [
                new FilingResult("0.NA/88.709.911", HandleResponseCode.Success, string.Empty, Applied: true),
                new FilingResult("0.NA/88.709.912", HandleResponseCode.Success, "older than held", Applied: false),
            ],
            results.Take(2));
        Assert.Equal((HandleResponseCode.ServerTooBusy, false), (results[2].Code, results[2].Applied));
    }

    [Fact]
    public async Task A_refused_filing_call_answers_every_filing_with_the_refusal()
    {
        Server.Script.File = (_, _) => throw Refusal(StatusCode.PermissionDenied, HandleResponseCode.InsufficientPermissions);
        Filing[] filings = [new("0.NA/88.709.1", 1, [], Removed: false, DateTimeOffset.UnixEpoch), new("0.NA/88.709.2", 1, [], Removed: false, DateTimeOffset.UnixEpoch)];

        var results = await _link.FileAsync(TestLinks.Node("88", Server.Url), filings, Token);

        Assert.All(results, result => Assert.Equal((HandleResponseCode.InsufficientPermissions, false), (result.Code, result.Applied)));
        Assert.Equal(filings.Select(f => f.Handle), results.Select(r => r.Handle));
    }

    [Fact]
    public async Task An_answer_this_node_cannot_read_is_an_error_answer_naming_why()
    {
        Server.Script.Resolve = (_, _) =>
        {
            var reply = new Contract.FederatedResolveReply { ResponseCode = 1, Handle = "88.710/X" };
            reply.Values.Add(new Contract.HandleValue { Index = 1, Type = "URL", Data = new Contract.ValueData { Hex = "zz" } });
            return Task.FromResult(reply);
        };
        Server.Script.GetReferral = (_, _) => Task.FromResult(new Contract.GetReferralReply { ResponseCode = 303 });

        var badValue = await _link.ResolveAsync(Node, "88.710/X", authoritative: false, Token);
        var noReferral = await _link.GetReferralAsync(Node, "88.710/X", Token);

        Assert.Equal(HandleResponseCode.Error, badValue.Code);
        Assert.Contains("hex", badValue.Message, StringComparison.Ordinal);
        Assert.Equal(HandleResponseCode.Error, noReferral.Code);
        Assert.Contains("without the referral", noReferral.Message, StringComparison.Ordinal);
    }

    private static RpcException Refusal(StatusCode status, HandleResponseCode code)
    {
        var info = new ErrorInfo { Domain = "idresolution.v1", Reason = "REFUSED" };
        info.Metadata.Add("responseCode", ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var detailed = new Google.Rpc.Status { Code = (int)status, Message = "not yours" };
        detailed.Details.Add(Any.Pack(info));
        return detailed.ToRpcException();
    }
}
