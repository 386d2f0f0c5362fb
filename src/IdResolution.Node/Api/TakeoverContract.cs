using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Core;
using IdResolution.Core.Administration;
using IdResolution.Node.ErrorReplies;

namespace IdResolution.Node.Api;

/// <summary>A takeover's status as the administration contract carries it, and its refusals as gRPC statuses.</summary>
internal static class TakeoverContract
{
    public static TakeoverInfo ToContract(TakeoverStatus status)
    {
        var mark = status.Mark;
        var info = new TakeoverInfo
        {
            Prefix = status.Prefix,
            State = mark is null ? "none" : mark.InForce ? "taken_over" : "handed_back",
            DeclaredBy = mark?.DeclaredBy ?? string.Empty,
            Reason = mark?.Reason ?? string.Empty,
            HandedBackBy = mark?.HandedBackBy ?? string.Empty,
            HandBackReason = mark?.HandBackReason ?? string.Empty,
            Forced = mark?.Forced ?? false,
        };
        if (mark is not null)
        {
            info.DeclaredAt = Timestamp.FromDateTimeOffset(mark.DeclaredAt);
        }

        if (mark?.HandedBackAt is { } handedBack)
        {
            info.HandedBackAt = Timestamp.FromDateTimeOffset(handedBack);
        }

        if (status.EscrowApplied is { } applied)
        {
            info.EscrowApplied = applied;
        }

        if (status.ChildPosition is { } position)
        {
            info.NodePosition = position;
        }

        if (status.Lag is { } lag)
        {
            info.EscrowLag = lag;
        }

        return info;
    }

    /// <summary>
    /// The value, or the refusal as an exception: a takeover or hand-back refused for the state of the takeover or of
    /// the escrow is FAILED_PRECONDITION (HTTP 400) with its reason, not the status its Handle code would give on its own
    /// (code 5 alone would read as a node too old to serve the call).
    /// </summary>
    public static TakeoverStatus Ok(Outcome<TakeoverStatus> outcome)
    {
        if (outcome.IsSuccess)
        {
            return outcome.Value;
        }

        var status = outcome.Reason is TakeoverDesk.NotTakenOver or TakeoverDesk.EscrowBehind or TakeoverDesk.NoEscrowStore
            ? StatusCode.FailedPrecondition
            : HandleStatus.ToStatusCode(outcome.Code);
        throw HandleStatus.ToRpcStatus(outcome.Code, outcome.Message, null, status, outcome.Reason).ToRpcException();
    }
}
