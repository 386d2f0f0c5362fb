using IdResolution.Cql.Protocol.Responses;

namespace IdResolution.Cql.Connections;

/// <summary>
/// A request whose stream id is taken. The reply and the caller giving up race; exactly one wins, and
/// the loser learns it from the state, so a late reply to an abandoned request is recognised and dropped.
/// </summary>
internal sealed class PendingRequest
{
    private const int InFlight = 0;
    private const int Answered = 1;
    private const int Abandoned = 2;

    private readonly TaskCompletionSource<CqlResponseFrame> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    public PendingRequest(short streamId) => StreamId = streamId;

    public short StreamId { get; }

    public Task<CqlResponseFrame> Reply => _reply.Task;

    /// <summary>
    /// Takes the right to answer; false when the caller already gave up, so the id was quarantined and the reply
    /// is to be dropped. Claiming and answering are apart so the id can be freed in between: a caller that sees
    /// its reply then never sees its id still taken.
    /// </summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Answered, InFlight) == InFlight;

    /// <summary>After <see cref="TryClaim"/>: the reply.</summary>
    public void Answer(CqlResponseFrame frame) => _reply.SetResult(frame);

    /// <summary>After <see cref="TryClaim"/>: a reply arrived on the id but its body could not be decoded.</summary>
    public void Fail(Exception error) => _reply.SetException(error);

    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, InFlight) == InFlight;

    /// <summary>The connection is gone: whoever still waits gets <paramref name="reason"/>.</summary>
    public void Close(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _state, Answered, InFlight) == InFlight)
        {
            _reply.SetException(reason);
        }
    }
}
