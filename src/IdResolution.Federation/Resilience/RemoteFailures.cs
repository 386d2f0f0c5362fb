using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace IdResolution.Federation.Resilience;

/// <summary>
/// Which failures of a call mean "the node did not answer": those open its circuit and send a resolve to
/// the node's next site; the transient ones among them are retried. A status the node chose to answer
/// (not found, permission denied, unimplemented, ...) is an answer, not a failure, and is mapped before
/// it gets here.
/// </summary>
internal static class RemoteFailures
{
    public const string Timeout = "timeout";
    public const string Unavailable = "unavailable";
    public const string Tls = "tls";
    public const string CircuitOpen = "circuit_open";
    public const string Busy = "busy";
    public const string Refused = "refused";

    /// <summary>gRPC statuses of a node that did not answer: it is down, overloaded, or failed inside.</summary>
    public static bool IsOutage(StatusCode status) => status is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal
        or StatusCode.Unknown or StatusCode.ResourceExhausted or StatusCode.DataLoss or StatusCode.Cancelled;

    public static bool IsOutage(Exception? exception) => exception switch
    {
        TimeoutRejectedException => true,
        RpcException rpc => IsOutage(rpc.StatusCode),
        HttpRequestException or IOException or SocketException or AuthenticationException => true,
        _ => false,
    };

    /// <summary>
    /// <see cref="IsOutage(Exception?)"/> as the pipeline's strategies judge an outcome: also a cancellation that
    /// <paramref name="callToken"/> (the token the strategy runs under) did not ask for. That is a timeout of the
    /// pipeline which surfaced as the bare cancellation instead of <see cref="TimeoutRejectedException"/> (seen under
    /// load in CI), and the node did not answer all the same: retried, hedged and counted like any timeout.
    /// </summary>
    public static bool IsOutage(Exception? exception, CancellationToken callToken) =>
        IsOutage(exception) || (exception is OperationCanceledException && !callToken.IsCancellationRequested);

    /// <summary>Worth another attempt soon: not a certificate that will not change, not a node that said it is overloaded.</summary>
    public static bool IsTransient(Exception? exception, CancellationToken callToken) =>
        IsOutage(exception, callToken) && !IsTlsFailure(exception!) && exception is not RpcException { StatusCode: StatusCode.ResourceExhausted };

    /// <summary>The outcome tag of a failed call (metrics) and the short reason (logs). Not for the caller's own cancellation.</summary>
    public static string Reason(Exception? exception) => exception switch
    {
        BrokenCircuitException => CircuitOpen,
        RateLimiterRejectedException => Busy,
        TimeoutRejectedException or RpcException { StatusCode: StatusCode.DeadlineExceeded } => Timeout,
        // Callers filter out their own cancellation first; what is left was cancelled by a timeout of the
        // pipeline that raced its conversion to TimeoutRejectedException (seen under load in CI).
        OperationCanceledException => Timeout,
        not null when IsTlsFailure(exception) => Tls,
        _ => Unavailable,
    };

    public static bool IsTlsFailure(Exception exception)
    {
        for (var current = exception; current is not null; current = Next(current))
        {
            if (current is AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>gRPC keeps the transport's exception as the status's debug exception, not as the inner exception.</summary>
    private static Exception? Next(Exception exception) => exception is RpcException rpc ? rpc.Status.DebugException ?? rpc.InnerException : exception.InnerException;
}
