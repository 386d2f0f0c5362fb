using System.Globalization;
using Grpc.Core;
using IdResolution.Core.Federation;
using IdResolution.Core.Storage;
using IdResolution.Federation.Channels;
using IdResolution.Federation.Mapping;
using IdResolution.Federation.Resilience;
using Polly.Timeout;
using Contract = IdResolution.Contracts.V1;

namespace IdResolution.Federation;

/// <summary>
/// One kind of streamed read from another node, applied page by page. An attempt opens the stream, waits at
/// most the page timeout for each page, and hands the page to the caller before reading the next; what the
/// caller throws is carried out as <see cref="ApplyFailedException"/>, so that it is neither retried nor
/// counted against the node's circuit.
/// </summary>
internal abstract class RemoteStream<TMessage>(string method, TimeSpan pageTimeout)
{
    public string Method { get; } = method;

    public async ValueTask<StreamRead> RunAsync(EndpointChannels.Lease lease, Metadata headers, CancellationToken cancellationToken)
    {
        using var page = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // No deadline over the whole call: a dump lasts as long as it has pages; each page has its own timeout.
        using var call = Open(lease, new CallOptions(headers: headers, cancellationToken: page.Token));
        var pages = 0;
        while (true)
        {
            page.CancelAfter(pageTimeout);
            bool more;
            try
            {
                more = await call.ResponseStream.MoveNext(page.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (page.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(null);
            }
            catch (RpcException exception) when (exception.StatusCode == StatusCode.Cancelled && page.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(exception);
            }

            page.CancelAfter(Timeout.InfiniteTimeSpan);
            if (!more)
            {
                return new StreamRead(pages);
            }

            try
            {
                await ApplyAsync(call.ResponseStream.Current, pages == 0, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw new ApplyFailedException(exception);
            }

            pages++;
        }
    }

    private TimeoutRejectedException TimedOut(Exception? inner) => new(
        string.Create(CultureInfo.InvariantCulture, $"no page of {Method} within {pageTimeout.TotalMilliseconds:0} ms"), pageTimeout, inner!);

    protected abstract AsyncServerStreamingCall<TMessage> Open(EndpointChannels.Lease lease, CallOptions options);

    protected abstract ValueTask ApplyAsync(TMessage message, bool first, CancellationToken cancellationToken);
}

/// <summary>The child's change log after the position last applied; a retry resumes after the last page applied.</summary>
internal sealed class ChangesStream(long after, int batch, Func<ChangeFeedPage, CancellationToken, ValueTask> apply, TimeSpan pageTimeout)
    : RemoteStream<Contract.ChangeBatch>("ReadChanges", pageTimeout)
{
    private long _after = after;

    protected override AsyncServerStreamingCall<Contract.ChangeBatch> Open(EndpointChannels.Lease lease, CallOptions options) =>
        lease.Escrow.ReadChanges(new Contract.ReadChangesRequest { After = (ulong)_after, BatchSize = (uint)batch }, options);

    protected override async ValueTask ApplyAsync(Contract.ChangeBatch message, bool first, CancellationToken cancellationToken)
    {
        var entries = new List<ChangeEntry>(message.Changes.Count);
        foreach (var change in message.Changes)
        {
            var entry = EscrowContract.ToCore(change);
            entries.Add(entry.IsSuccess ? entry.Value : throw new InvalidDataException($"the child sent a change it cannot have written: {entry.Message}"));
        }

        if (message.Next > long.MaxValue || message.LastPosition > long.MaxValue)
        {
            throw new InvalidDataException("the child sent a position beyond 2^63");
        }

        await apply(new ChangeFeedPage(entries, (long)message.Next, message.Trimmed, (long)message.LastPosition), cancellationToken).ConfigureAwait(false);
        _after = Math.Max(_after, (long)message.Next);
    }
}

/// <summary>A whole dump of the child; a retry starts a new one, whose first page says so.</summary>
internal sealed class DumpStream(int batch, Func<DumpPage, CancellationToken, ValueTask> apply, TimeSpan pageTimeout)
    : RemoteStream<Contract.DumpBatch>("ReadDump", pageTimeout)
{
    protected override AsyncServerStreamingCall<Contract.DumpBatch> Open(EndpointChannels.Lease lease, CallOptions options) =>
        lease.Escrow.ReadDump(new Contract.ReadDumpRequest { BatchSize = (uint)batch }, options);

    protected override async ValueTask ApplyAsync(Contract.DumpBatch message, bool first, CancellationToken cancellationToken)
    {
        var records = new List<DumpEntry>(message.Records.Count);
        foreach (var record in message.Records)
        {
            var entry = EscrowContract.ToCore(record);
            records.Add(entry.IsSuccess ? entry.Value : throw new InvalidDataException($"the child sent a record it cannot have written: {entry.Message}"));
        }

        if (message.Position > long.MaxValue)
        {
            throw new InvalidDataException("the child sent a position beyond 2^63");
        }

        await apply(new DumpPage(records, (long)message.Position, first), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The caller's handling of a page failed: carried through the pipeline as no failure of the node's, then rethrown as it was.</summary>
internal sealed class ApplyFailedException(Exception inner) : Exception(inner.Message, inner);
