using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Core;
using IdResolution.Core.Composition;
using IdResolution.Core.Federation;
using IdResolution.Core.Records;
using IdResolution.Core.Resolution;
using IdResolution.Core.Telemetry;
using IdResolution.Federation.Mapping;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.Security;

namespace IdResolution.Node.Api;

/// <summary>
/// Other nodes' calls (referral lookups, non-recursive resolves, filings): translation only, through the
/// same contract mapping the calling side uses. Nothing here ever asks a third node: this node answers
/// from what it holds and what its own prefix handles say — and, for a child it took over, from its escrow copy.
/// </summary>
internal sealed class FederationService(CoreServices core, FederationAccess access, NodeMetrics metrics) : Contracts.V1.Federation.FederationBase
{
    public override async Task<GetReferralReply> GetReferral(GetReferralRequest request, ServerCallContext context)
    {
        access.Require(context);
        metrics.FederationServed(LinkProbe.IsProbe(request.Handle) ? "probe" : "referral");
        if (!core.Grammar.TryParse(request.Handle, out var id, out var error))
        {
            return FederationContract.ToReferralReply(new RemoteAnswer(HandleResponseCode.InvalidHandle, core.Grammar.Describe(error)));
        }

        return FederationContract.ToReferralReply(await core.Referrals.LookupAsync(FederatedResolver.PrefixKeyOf(id), context.CancellationToken) is { } referral
            ? RemoteAnswer.Refer(referral)
            : new RemoteAnswer(HandleResponseCode.ServerNotResponsible, core.Jurisdiction.NotResponsible(id.Text).Message));
    }

    public override async Task<FederatedResolveReply> Resolve(FederatedResolveRequest request, ServerCallContext context)
    {
        access.Require(context);
        metrics.FederationServed("resolve");
        return FederationContract.ToResolveReply(await AnswerAsync(request, context));
    }

    public override async Task<FileReply> File(FileRequest request, ServerCallContext context)
    {
        access.Require(context);
        metrics.FederationServed("file");
        var filings = new List<Core.Federation.Filing>(request.Filings.Count);
        foreach (var filing in request.Filings)
        {
            var parsed = FederationContract.ToCore(filing);
            if (!parsed.IsSuccess)
            {
                throw HandleStatus.ToException(parsed, filing.Handle);
            }

            filings.Add(parsed.Value);
        }

        var results = await core.Registrar.ApplyFilingsAsync(context.ToCaller(), filings, context.CancellationToken);
        var reply = new FileReply();
        reply.Results.AddRange(results.Select(FederationContract.ToContract));
        return reply;
    }

    private async Task<RemoteAnswer> AnswerAsync(FederatedResolveRequest request, ServerCallContext context)
    {
        if (!core.Grammar.TryParse(request.Handle, out var id, out var error))
        {
            return new RemoteAnswer(HandleResponseCode.InvalidHandle, core.Grammar.Describe(error));
        }

        // A taken-over child's handle is answered here from escrow (the referral for it names this node), not referred on.
        if (await core.Jurisdiction.DecideAsync(id, context.CancellationToken) is { Holding: not Holding.Held, Takeover: null })
        {
            return await core.Referrals.LookupAsync(FederatedResolver.PrefixKeyOf(id), context.CancellationToken) is { Upward: false } referral
                ? RemoteAnswer.Refer(referral)
                : new RemoteAnswer(HandleResponseCode.ServerNotResponsible, core.Jurisdiction.NotResponsible(id.Text).Message);
        }

        // Only public values cross nodes: the calling node answers anonymous clients with them.
        var caller = Core.Security.Caller.Anonymous(context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? "peer");
        var outcome = await core.Resolver.ResolveAsync(caller, request.Handle, ValueFilter.All, new ResolveMode(request.Authoritative), context.CancellationToken);
        return outcome.IsSuccess
            ? RemoteAnswer.Found(new HandleRecord(outcome.Value.Record.Handle, outcome.Value.Values, outcome.Value.Record.Version))
            : new RemoteAnswer(outcome.Code, outcome.Message);
    }
}
