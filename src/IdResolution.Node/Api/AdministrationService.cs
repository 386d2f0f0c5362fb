using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Core;
using IdResolution.Core.Administration;
using IdResolution.Core.Composition;
using IdResolution.Core.Security;
using IdResolution.Federation.Mapping;
using IdResolution.Node.Dashboard;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.Security;

namespace IdResolution.Node.Api;

/// <summary>The administration surface: translation only; authorisation and rules live in the core.</summary>
internal sealed class AdministrationService(CoreServices core, SigningKeyRing keys, TimeProvider time, NodeIdentity identity, NodeStatusBuilder status, TakeoverDesk takeovers) : Administration.AdministrationBase
{
    private const int DefaultAuditLimit = 1000;
    private const int MaxAuditLimit = 10_000;

    public override async Task<AccountReply> CreateAccount(CreateAccountRequest request, ServerCallContext context)
    {
        var role = request.Administrator ? AccountRole.Administrator : AccountRole.Enterprise;
        var created = Ok(await core.Accounts.CreateAsync(context.ToCaller(), request.Name, request.Password, role, context.CancellationToken));
        return new AccountReply { Account = Info(created) };
    }

    public override async Task<ListAccountsReply> ListAccounts(ListAccountsRequest request, ServerCallContext context)
    {
        var reply = new ListAccountsReply();
        reply.Accounts.AddRange(Ok(await core.Accounts.ListAsync(context.ToCaller(), context.CancellationToken)).Select(Info));
        return reply;
    }

    public override async Task<AccountReply> SetAccountSuspended(SetAccountSuspendedRequest request, ServerCallContext context) =>
        new() { Account = Info(Ok(await core.Accounts.SetSuspendedAsync(context.ToCaller(), request.Name, request.Suspended, context.CancellationToken))) };

    public override async Task<RemoveReply> RemoveAccount(RemoveAccountRequest request, ServerCallContext context)
    {
        Ok(await core.Accounts.RemoveAsync(context.ToCaller(), request.Name, context.CancellationToken));
        return new RemoveReply { ResponseCode = (int)HandleResponseCode.Success };
    }

    public override async Task<PrefixReply> AllocatePrefix(AllocatePrefixRequest request, ServerCallContext context) =>
        new() { Prefix = Info(Ok(await core.Prefixes.AllocateAsync(context.ToCaller(), request.Prefix, request.Owner, context.CancellationToken))) };

    public override async Task<ListPrefixesReply> ListPrefixes(ListPrefixesRequest request, ServerCallContext context)
    {
        var reply = new ListPrefixesReply();
        reply.Prefixes.AddRange(Ok(await core.Prefixes.ListAsync(context.ToCaller(), context.CancellationToken)).Select(Info));
        return reply;
    }

    public override async Task<PrefixReply> SetPrefixSuspended(SetPrefixSuspendedRequest request, ServerCallContext context) =>
        new() { Prefix = Info(Ok(await core.Prefixes.SetSuspendedAsync(context.ToCaller(), request.Prefix, request.Suspended, context.CancellationToken))) };

    public override async Task<RemoveReply> RemovePrefix(RemovePrefixRequest request, ServerCallContext context)
    {
        Ok(await core.Prefixes.RemoveAsync(context.ToCaller(), request.Prefix, context.CancellationToken));
        return new RemoveReply { ResponseCode = (int)HandleResponseCode.Success };
    }

    public override async Task<QueryAuditReply> QueryAudit(QueryAuditRequest request, ServerCallContext context)
    {
        Allowed(context);
        var until = request.Until?.ToDateTimeOffset() ?? time.GetUtcNow().AddSeconds(1);
        var since = request.Since?.ToDateTimeOffset() ?? until.AddDays(-1);
        var limit = request.Limit == 0 ? DefaultAuditLimit : (int)Math.Min(request.Limit, MaxAuditLimit);
        var entries = await core.Audit.QueryAsync(request.Prefix.Length == 0 ? null : request.Prefix, since, until, limit, context.CancellationToken);
        var reply = new QueryAuditReply();
        reply.Entries.AddRange(entries.Select(AuditRecords.From));
        return reply;
    }

    public override async Task<NodeReply> AdmitNode(AdmitNodeRequest request, ServerCallContext context) =>
        new() { Node = Info(Ok(await core.Nodes.AdmitAsync(context.ToCaller(), request.Prefix, request.Name, request.Credentials, context.CancellationToken))) };

    public override async Task<ListNodesReply> ListNodes(ListNodesRequest request, ServerCallContext context)
    {
        var reply = new ListNodesReply();
        reply.Nodes.AddRange(Ok(await core.Nodes.ListAsync(context.ToCaller(), context.CancellationToken)).Select(Info));
        return reply;
    }

    public override async Task<NodeReply> SetNodeSuspended(SetNodeSuspendedRequest request, ServerCallContext context) =>
        new() { Node = Info(Ok(await core.Nodes.SetSuspendedAsync(context.ToCaller(), request.Prefix, request.Suspended, context.CancellationToken))) };

    public override async Task<TakeoverReply> DeclareTakeover(DeclareTakeoverRequest request, ServerCallContext context) =>
        new() { Takeover = TakeoverContract.ToContract(TakeoverContract.Ok(await takeovers.DeclareAsync(context.ToCaller(), request.Prefix, request.Reason, context.CancellationToken))) };

    public override async Task<TakeoverReply> HandBack(HandBackRequest request, ServerCallContext context) =>
        new() { Takeover = TakeoverContract.ToContract(TakeoverContract.Ok(await takeovers.HandBackAsync(context.ToCaller(), request.Prefix, request.Reason, request.Force, context.CancellationToken))) };

    public override async Task<TakeoverReply> GetTakeover(GetTakeoverRequest request, ServerCallContext context) =>
        new() { Takeover = TakeoverContract.ToContract(TakeoverContract.Ok(await takeovers.GetAsync(context.ToCaller(), request.Prefix, context.CancellationToken))) };

    public override Task<NodeIdentityReply> GetNodeIdentity(GetNodeIdentityRequest request, ServerCallContext context)
    {
        Allowed(context);
        var reply = new NodeIdentityReply { Prefix = identity.Prefix, Role = identity.Role.ToString(), Credential = identity.Credential.ToString() };
        reply.ParentEndpoints.AddRange(identity.ParentEndpoints);
        return Task.FromResult(reply);
    }

    public override async Task<NodeStatusReply> GetStatus(GetStatusRequest request, ServerCallContext context)
    {
        Allowed(context);
        return await status.BuildAsync(context.CancellationToken);
    }

    public override Task<RotateSigningKeyReply> RotateSigningKey(RotateSigningKeyRequest request, ServerCallContext context)
    {
        Allowed(context);
        return Task.FromResult(new RotateSigningKeyReply { KeyId = keys.Rotate() });
    }

    private static void Allowed(ServerCallContext context)
    {
        if (AuthorizationPolicy.AuthorizeAdministration(context.ToCaller()) is { } denied)
        {
            throw HandleStatus.ToException(denied);
        }
    }

    private static T Ok<T>(Outcome<T> outcome) => outcome.IsSuccess ? outcome.Value : throw HandleStatus.ToException(outcome);

    private static AccountInfo Info(Account account) =>
        new() { Name = account.Name, Administrator = account.Role == AccountRole.Administrator, Suspended = account.Suspended };

    private static NodeInfo Info(AdmittedNode node)
    {
        var info = new NodeInfo { Prefix = node.Prefix, Name = node.Name, Suspended = node.Suspended, StatusSince = Timestamp.FromDateTimeOffset(node.StatusSince) };
        info.Credentials.AddRange(node.Credentials.Select(c => c.Fingerprint));
        info.Sites.AddRange(node.Sites.Select(ContractValues.SiteToContract));
        return info;
    }

    private static PrefixInfo Info(AllocatedPrefix prefix) => new() { Prefix = prefix.Prefix, Owner = prefix.Owner ?? string.Empty, Suspended = prefix.Suspended };
}
