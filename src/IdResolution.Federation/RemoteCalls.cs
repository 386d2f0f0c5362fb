using Grpc.Core;
using IdResolution.Core.Federation;
using IdResolution.Core.Monitoring;
using IdResolution.Federation.Channels;
using IdResolution.Federation.Mapping;
using Contract = IdResolution.Contracts.V1;

namespace IdResolution.Federation;

/// <summary>One kind of call to another node: how it is sent, and how a status the node answered with becomes a result.</summary>
internal abstract class RemoteCall<TResult>(string method)
{
    public string Method { get; } = method;

    public abstract Task<TResult> SendAsync(EndpointChannels.Lease lease, CallOptions options);

    /// <summary>The node answered with a status that is an answer (not found, not permitted, ...), not an outage.</summary>
    public abstract TResult Answered(RpcException status, string nodeId);

    /// <summary>The Handle code of the result, for the metrics.</summary>
    public abstract int CodeOf(TResult result);

    protected static string Describe(RpcException status, string nodeId) => $"node {nodeId} answered: {status.Status.Detail}";
}

internal abstract class AnswerCall(string method) : RemoteCall<RemoteAnswer>(method)
{
    public override RemoteAnswer Answered(RpcException status, string nodeId) => new(StatusResponseCodes.CodeOf(status), Describe(status, nodeId));

    public override int CodeOf(RemoteAnswer result) => (int)result.Code;
}

internal sealed class ResolveCall(string handle, bool authoritative) : AnswerCall("Resolve")
{
    public override async Task<RemoteAnswer> SendAsync(EndpointChannels.Lease lease, CallOptions options) =>
        FederationContract.ToAnswer(await lease.Client.ResolveAsync(new Contract.FederatedResolveRequest { Handle = handle, Authoritative = authoritative }, options).ConfigureAwait(false));
}

internal sealed class ReferralCall(string handle) : AnswerCall("GetReferral")
{
    public override async Task<RemoteAnswer> SendAsync(EndpointChannels.Lease lease, CallOptions options) =>
        FederationContract.ToAnswer(await lease.Client.GetReferralAsync(new Contract.GetReferralRequest { Handle = handle }, options).ConfigureAwait(false));
}

internal sealed class FileCall(IReadOnlyList<Filing> filings) : RemoteCall<IReadOnlyList<FilingResult>>("File")
{
    private readonly Contract.FileRequest _request = FederationContract.ToRequest(filings);

    public override async Task<IReadOnlyList<FilingResult>> SendAsync(EndpointChannels.Lease lease, CallOptions options) =>
        FederationContract.ToResults(filings, await lease.Client.FileAsync(_request, options).ConfigureAwait(false));

    /// <summary>A refusal of the whole call (an unadmitted or suspended child) is the answer to each filing.</summary>
    public override IReadOnlyList<FilingResult> Answered(RpcException status, string nodeId)
    {
        var code = StatusResponseCodes.CodeOf(status);
        var message = Describe(status, nodeId);
        return [.. filings.Select(filing => new FilingResult(filing.Handle, code, message, Applied: false))];
    }

    public override int CodeOf(IReadOnlyList<FilingResult> result) => result.Count == 0 ? 1 : (int)result.Max(r => r.Code);
}

internal sealed class HeartbeatCall(HeartbeatFigures figures) : RemoteCall<HeartbeatAck>("Heartbeat")
{
    public override async Task<HeartbeatAck> SendAsync(EndpointChannels.Lease lease, CallOptions options)
    {
        var reply = await lease.Operations.HeartbeatAsync(new Contract.HeartbeatRequest { Figures = OperationsContract.ToContract(figures) }, options).ConfigureAwait(false);
        return new HeartbeatAck(Core.HandleResponseCode.Success, string.Empty, reply.ReceivedAt?.ToDateTimeOffset());
    }

    /// <summary>A refusal (an unadmitted or suspended child) is an answer: retrying it would not change it.</summary>
    public override HeartbeatAck Answered(RpcException status, string nodeId) => new(StatusResponseCodes.CodeOf(status), Describe(status, nodeId), null);

    public override int CodeOf(HeartbeatAck result) => (int)result.Code;
}
