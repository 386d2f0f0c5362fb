using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Core;
using IdResolution.Core.Composition;
using IdResolution.Core.Federation;
using IdResolution.Core.Resolution;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.Security;

namespace IdResolution.Node.Api;

/// <summary>
/// Other nodes' calls (referral lookups, non-recursive resolves, filings): translation only. Nothing here
/// ever asks a third node: this node answers from what it holds and what its own prefix handles say.
/// </summary>
internal sealed class FederationService(CoreServices core, FederationAccess access) : Contracts.V1.Federation.FederationBase
{
    public override async Task<GetReferralReply> GetReferral(GetReferralRequest request, ServerCallContext context)
    {
        access.Require(context);
        if (!core.Grammar.TryParse(request.Handle, out var id, out var error))
        {
            return new GetReferralReply { ResponseCode = (int)HandleResponseCode.InvalidHandle, Message = core.Grammar.Describe(error) };
        }

        return await core.Referrals.LookupAsync(FederatedResolver.PrefixKeyOf(id), context.CancellationToken) is { } referral
            ? new GetReferralReply { ResponseCode = (int)HandleResponseCode.PrefixReferral, Referral = ReferralMapper.ToContract(referral) }
            : new GetReferralReply { ResponseCode = (int)HandleResponseCode.ServerNotResponsible, Message = core.Jurisdiction.NotResponsible(id.Text).Message };
    }

    public override async Task<FederatedResolveReply> Resolve(FederatedResolveRequest request, ServerCallContext context)
    {
        access.Require(context);
        if (!core.Grammar.TryParse(request.Handle, out var id, out var error))
        {
            return new FederatedResolveReply { ResponseCode = (int)HandleResponseCode.InvalidHandle, Message = core.Grammar.Describe(error) };
        }

        if ((await core.Jurisdiction.DecideAsync(id, context.CancellationToken)).Holding != Holding.Held)
        {
            return await core.Referrals.LookupAsync(FederatedResolver.PrefixKeyOf(id), context.CancellationToken) is { Upward: false } referral
                ? new FederatedResolveReply { ResponseCode = (int)HandleResponseCode.PrefixReferral, Referral = ReferralMapper.ToContract(referral) }
                : new FederatedResolveReply { ResponseCode = (int)HandleResponseCode.ServerNotResponsible, Message = core.Jurisdiction.NotResponsible(id.Text).Message };
        }

        // Only public values cross nodes: the calling node answers anonymous clients with them.
        var outcome = await core.Resolver.ResolveAsync(Core.Security.Caller.Anonymous(context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? "peer"),
            request.Handle, ValueFilter.All, new ResolveMode(request.Authoritative), context.CancellationToken);
        if (!outcome.IsSuccess)
        {
            return new FederatedResolveReply { ResponseCode = (int)outcome.Code, Message = outcome.Message };
        }

        var reply = new FederatedResolveReply
        {
            ResponseCode = (int)HandleResponseCode.Success,
            Handle = outcome.Value.Record.Handle,
            Version = (ulong)Math.Max(0, outcome.Value.Record.Version),
        };
        ValueMapper.AddTo(reply.Values, outcome.Value.Values);
        return reply;
    }

    public override async Task<FileReply> File(FileRequest request, ServerCallContext context)
    {
        access.Require(context);
        var filings = new List<Core.Federation.Filing>(request.Filings.Count);
        foreach (var filing in request.Filings)
        {
            var values = ValueMapper.ToCore(filing.Values);
            if (!values.IsSuccess)
            {
                throw HandleStatus.ToException(values, filing.Handle);
            }

            filings.Add(new Core.Federation.Filing(filing.Handle, (long)Math.Min(filing.Version, long.MaxValue), values.Value, filing.Removed,
                filing.ChangedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue));
        }

        var results = await core.Registrar.ApplyFilingsAsync(context.ToCaller(), filings, context.CancellationToken);
        var reply = new FileReply();
        reply.Results.AddRange(results.Select(r => new Contracts.V1.FilingResult { Handle = r.Handle, ResponseCode = (int)r.Code, Message = r.Message, Applied = r.Applied }));
        return reply;
    }
}
