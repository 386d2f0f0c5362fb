using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Core;
using IdResolution.Core.Registration;
using IdResolution.Core.Resolution;
using IdResolution.Federation.Mapping;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.Security;

namespace IdResolution.Node.Api;

/// <summary>The resolution surface over gRPC (and, through transcoding, HTTP/JSON): translation only.</summary>
internal sealed partial class ResolutionService(Resolver resolver, RegistryOptions options) : Contracts.V1.Resolution.ResolutionBase
{
    // Hot handles' answers, built once per cached record and shared by the calls that answer it (see WholeRecordAnswers).
    private static readonly WholeRecordAnswers<ResolveResponse> Responses = new();
    private static readonly WholeRecordAnswers<ResolveResult> Results = new();

    public override async Task<ResolveResponse> Resolve(ResolveRequest request, ServerCallContext context)
    {
        var filter = Filter(request.Type, request.Index);
        var outcome = await resolver.ResolveAsync(context.ToCaller(), request.Handle, filter, new ResolveMode(request.Authoritative, request.NoRecursion), context.CancellationToken);
        if (!outcome.IsSuccess)
        {
            throw HandleStatus.ToException(outcome, request.Handle);
        }

        StaleMarker.Mark(context.GetHttpContext(), outcome.Value.Stale);
        return Responses.Get(outcome.Value, ToContract);
    }

    /// <summary>A resolution as the contract answers it, on gRPC and (encoded as JSON) on <c>GET /v1/handles/{handle}</c>.</summary>
    internal static ResolveResponse ToContract(Core.Resolution.Resolution resolution)
    {
        var response = new ResolveResponse { Handle = resolution.Record.Handle, ResponseCode = (int)resolution.Code };
        if (resolution.Referral is { } referral)
        {
            response.Referral = FederationContract.ToContract(referral);
        }

        ContractValues.AddTo(response.Values, resolution.Values);
        return response;
    }

    public override async Task<ResolveBatchResponse> ResolveBatch(ResolveBatchRequest request, ServerCallContext context)
    {
        if (request.Handles.Count > options.MaxResolveBatch)
        {
            throw HandleStatus.ToException(HandleResponseCode.ProtocolError,
                $"the batch holds {request.Handles.Count} handles; at most {options.MaxResolveBatch} are allowed per call");
        }

        var filter = Filter(request.Type, request.Index);
        var caller = context.ToCaller();
        var response = new ResolveBatchResponse();
        var outcomes = await resolver.ResolveManyAsync(caller, request.Handles, filter, context.CancellationToken);
        for (var i = 0; i < outcomes.Length; i++)
        {
            var handle = request.Handles[i];
            var outcome = outcomes[i];
            if (outcome.IsSuccess)
            {
                StaleMarker.Mark(context.GetHttpContext(), outcome.Value.Stale);
                response.Results.Add(Results.Get(outcome.Value, ToResult));
            }
            else
            {
                response.Results.Add(new ResolveResult { Handle = handle, ResponseCode = (int)outcome.Code, Message = outcome.Message });
            }
        }

        return response;
    }

    /// <summary>A found handle's batch item: its message is empty (a success carries none).</summary>
    private static ResolveResult ToResult(Core.Resolution.Resolution resolution)
    {
        var result = new ResolveResult { Handle = resolution.Record.Handle, ResponseCode = (int)resolution.Code };
        ContractValues.AddTo(result.Values, resolution.Values);
        return result;
    }

    public override Task<PingReply> Ping(PingRequest request, ServerCallContext context) => Pong;

    private static readonly Task<PingReply> Pong = Task.FromResult(new PingReply());

    private static ValueFilter Filter(IReadOnlyCollection<string> types, IReadOnlyList<uint> indexes) =>
        Filter(types, indexes, out var failure) ?? throw failure!.ToRpcException();

    /// <summary>The filter the query asks for, or why it cannot be one (an index out of range).</summary>
    internal static ValueFilter? Filter(IReadOnlyCollection<string> types, IReadOnlyList<uint> indexes, out Google.Rpc.Status? failure)
    {
        failure = null;
        if (types.Count == 0 && indexes.Count == 0)
        {
            return ValueFilter.All;
        }

        var parsed = ContractValues.ToIndexes(indexes);
        if (parsed.IsSuccess)
        {
            return new ValueFilter(types, parsed.Value);
        }

        failure = HandleStatus.ToRpcStatus(parsed);
        return null;
    }
}
