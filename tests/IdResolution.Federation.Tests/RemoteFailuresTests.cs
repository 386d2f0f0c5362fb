using Grpc.Core;
using IdResolution.Federation.Resilience;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace IdResolution.Federation.Tests;

/// <summary>
/// The reason a failed node-to-node call is given. A cancellation the caller did not ask for is the
/// pipeline's own timeout: under load Polly's attempt timeout can surface as the bare cancellation rather
/// than as <see cref="TimeoutRejectedException"/>, and it made CI report a silent parent as "could not be reached".
/// </summary>
public sealed class RemoteFailuresTests
{
    [Fact]
    public void Every_way_a_timeout_surfaces_is_a_timeout()
    {
        Assert.Equal(RemoteFailures.Timeout, RemoteFailures.Reason(new TimeoutRejectedException()));
        Assert.Equal(RemoteFailures.Timeout, RemoteFailures.Reason(new RpcException(new Status(StatusCode.DeadlineExceeded, "late"))));
        Assert.Equal(RemoteFailures.Timeout, RemoteFailures.Reason(new OperationCanceledException()));
        Assert.Equal(RemoteFailures.Timeout, RemoteFailures.Reason(new TaskCanceledException()));
    }

    [Fact]
    public void A_cancellation_the_call_did_not_ask_for_is_retried_and_counted_like_a_timeout_and_the_callers_own_is_not()
    {
        using var asked = new CancellationTokenSource();
        asked.Cancel();
        Assert.True(RemoteFailures.IsTransient(new TaskCanceledException(), CancellationToken.None));
        Assert.True(RemoteFailures.IsOutage(new OperationCanceledException(), CancellationToken.None));
        Assert.False(RemoteFailures.IsTransient(new TaskCanceledException(), asked.Token));
        Assert.False(RemoteFailures.IsOutage(new OperationCanceledException(), asked.Token));
        Assert.False(RemoteFailures.IsTransient(new RpcException(new Status(StatusCode.ResourceExhausted, "busy")), CancellationToken.None));
    }

    [Fact]
    public void Other_failures_keep_their_own_reason()
    {
        Assert.Equal(RemoteFailures.CircuitOpen, RemoteFailures.Reason(new BrokenCircuitException()));
        Assert.Equal(RemoteFailures.Unavailable, RemoteFailures.Reason(new RpcException(new Status(StatusCode.Unavailable, "down"))));
        Assert.Equal(RemoteFailures.Unavailable, RemoteFailures.Reason(new HttpRequestException("refused")));
    }
}
