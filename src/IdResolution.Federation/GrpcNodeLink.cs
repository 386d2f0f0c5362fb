using System.Diagnostics.Metrics;
using System.Globalization;
using Grpc.Core;
using IdResolution.Core.Composition;
using IdResolution.Core.Federation;
using IdResolution.Core.Monitoring;
using IdResolution.Federation.Channels;
using IdResolution.Federation.Credentials;
using IdResolution.Federation.Resilience;
using IdResolution.Federation.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;

namespace IdResolution.Federation;

/// <summary>
/// Calls to other nodes over gRPC (the <c>idresolution.v1.Federation</c> service): each call carries the
/// node's signed assertion, is held to the node's pinned TLS identity, and goes through that node's own
/// resilience pipeline (<see cref="NodePipelines"/>). It answers within about twice
/// <c>Federation:TimeoutMilliseconds</c> or throws <see cref="RemoteUnavailableException"/>; while a node's
/// circuit is open it throws at once, without a network call, with <see cref="RemoteUnavailableException.CircuitOpen"/> set.
/// </summary>
public sealed class GrpcNodeLink : INodeLink, IDisposable
{
    /// <summary>The meter of the link's instruments, for the host's metrics exporter.</summary>
    public const string MeterName = LinkMetrics.MeterName;

    private readonly NodeLinkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ParentEndpoints _parent;
    private readonly AssertionSource _assertions;
    private readonly EndpointChannels _channels;
    private readonly LinkMetrics _metrics;
    private readonly NodePipelines _pipelines;

    public GrpcNodeLink(NodeLinkOptions options, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new SettingProblems();
        NodeLinkSettings.Check(options, problems);
        if (problems.Found.Count > 0)
        {
            throw new InvalidOperationException("Node-to-node calls cannot be set up: " + string.Join(" ", problems.Found));
        }

        loggerFactory ??= NullLoggerFactory.Instance;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger("IdResolution.Federation");
        _parent = new ParentEndpoints(options.Federation.Parent);
        _assertions = new AssertionSource(options.NodeKey, options.OwnPrefix, options.AssertionLifetime, _time);
        _channels = new EndpointChannels(options.ClientCertificate, options.AttemptTimeout, options.ChannelIdleTimeout, _time, loggerFactory);
        // The gauges read the pipelines' per-node state, and the pipelines report to the metrics: the gauges' callback is wired first.
        NodePipelines? pipelines = null;
        _metrics = new LinkMetrics(meterFactory, () => pipelines?.Readings() ?? []);
        var settings = new PipelineSettings(options.AttemptTimeout, options.TotalTimeout, options.Federation.MaxInFlightPerNode, options.BreakerFailureRatio,
            options.BreakerMinimumThroughput, options.BreakerSamplingDuration, options.BreakerBreakDuration, options.MaxRetries, options.RetryDelay, options.EffectiveHedgingDelay);
        _pipelines = pipelines = new NodePipelines(settings, _time, _metrics, new NodeTags(options.MaxNodeTags), _logger);
        LinkLog.Configured(_logger, options.Federation.TimeoutMilliseconds, (int)options.TotalTimeout.TotalMilliseconds, options.Federation.MaxInFlightPerNode,
            options.ClientCertificate?.Subject ?? "none", options.Federation.AllowInsecure ? "allowed (development)" : "refused");
    }

    /// <summary>Open channels, for tests.</summary>
    internal int OpenChannels => _channels.Count;

    internal Meter Meter => _metrics.Meter;

    public ValueTask<RemoteAnswer> GetReferralAsync(RemoteNode node, string handle, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(handle);
        return CallAsync(node, new ReferralCall(handle), _pipelines.Answers, cancellationToken);
    }

    public ValueTask<RemoteAnswer> ResolveAsync(RemoteNode node, string handle, bool authoritative, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(handle);
        return CallAsync(node, new ResolveCall(handle, authoritative), _pipelines.Answers, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<FilingResult>> FileAsync(RemoteNode parent, IReadOnlyList<Filing> filings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filings);
        return filings.Count == 0 ? [] : await CallAsync(parent, new FileCall(filings), _pipelines.Filings, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<HeartbeatAck> HeartbeatAsync(RemoteNode parent, HeartbeatFigures figures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return CallAsync(parent, new HeartbeatCall(figures), _pipelines.Heartbeats, cancellationToken);
    }

    public async ValueTask ReadChangesAsync(RemoteNode child, long after, int batch, Func<ChangeFeedPage, CancellationToken, ValueTask> apply, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentNullException.ThrowIfNull(apply);
        await StreamAsync(child, new ChangesStream(after, batch, apply, _options.AttemptTimeout), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ReadDumpAsync(RemoteNode child, int batch, Func<DumpPage, CancellationToken, ValueTask> apply, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentNullException.ThrowIfNull(apply);
        await StreamAsync(child, new DumpStream(batch, apply, _options.AttemptTimeout), cancellationToken).ConfigureAwait(false);
    }

    public bool IsCircuitOpen(RemoteNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return _pipelines.Find(node.Id)?.IsRefusing(_time.GetUtcNow()) ?? false;
    }

    public void Dispose()
    {
        _pipelines.Dispose();
        _channels.Dispose();
        _metrics.Dispose();
    }

    private async ValueTask<TResult> CallAsync<TResult>(RemoteNode node, RemoteCall<TResult> call, Func<string, ResiliencePipeline<TResult>> pipelineOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        var started = _time.GetTimestamp();
        var state = _pipelines.State(node.Id);
        var attempt = new Attempt<TResult>(this, node, Usable(node, out var refusals), call);
        if (attempt.Endpoints.Count == 0)
        {
            _metrics.Call(state.Tag, call.Method, RemoteFailures.Refused, 0, _time.GetElapsedTime(started));
            throw new RemoteUnavailableException(node.Id, circuitOpen: false, $"node {node.Id} has no endpoint this node may call: {refusals}");
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(NodePipelines.EndpointCount, attempt.Endpoints.Count);
        context.Properties.Set(NodePipelines.Method, call.Method);
        try
        {
            var result = await pipelineOf(node.Id).ExecuteAsync(static (context, attempt) => attempt.RunAsync(context), context, attempt).ConfigureAwait(false);
            _metrics.Call(state.Tag, call.Method, "answered", call.CodeOf(result), _time.GetElapsedTime(started));
            return result;
        }
        catch (Exception exception) when (!(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var reason = RemoteFailures.Reason(exception);
            _metrics.Call(state.Tag, call.Method, reason, 0, _time.GetElapsedTime(started));
            if (!RemoteFailures.IsOutage(exception, cancellationToken) && reason == RemoteFailures.Unavailable)
            {
                LinkLog.UnexpectedFailure(_logger, call.Method, node.Id, exception);
            }

            throw new RemoteUnavailableException(node.Id, exception is BrokenCircuitException, Explain(node, call.Method, reason, exception, attempt.LastFailure), exception);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// A streamed read through the node's stream pipeline: like <see cref="CallAsync{TResult}"/>, but what the
    /// caller's page handling throws comes out unchanged rather than as the node's unavailability.
    /// </summary>
    private async ValueTask StreamAsync<TMessage>(RemoteNode node, RemoteStream<TMessage> stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        var started = _time.GetTimestamp();
        var state = _pipelines.State(node.Id);
        var endpoints = Usable(node, out var refusals);
        if (endpoints.Count == 0)
        {
            _metrics.Call(state.Tag, stream.Method, RemoteFailures.Refused, 0, _time.GetElapsedTime(started));
            throw new RemoteUnavailableException(node.Id, circuitOpen: false, $"node {node.Id} has no endpoint this node may call: {refusals}");
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(NodePipelines.EndpointCount, endpoints.Count);
        context.Properties.Set(NodePipelines.Method, stream.Method);
        string? lastFailure = null;
        try
        {
            await _pipelines.Streams(node.Id).ExecuteAsync(async context =>
            {
                var endpoint = endpoints[context.Properties.GetValue(NodePipelines.EndpointIndex, 0) % endpoints.Count];
                using var lease = _channels.Rent(endpoint);
                try
                {
                    var signed = SignsFor(node, stream.Method);
                    return await stream.RunAsync(lease, signed ? [new Metadata.Entry(AssertionSource.Header, _assertions.Value)] : [], context.CancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not (OperationCanceledException or ApplyFailedException))
                {
                    lastFailure = exception is RpcException rpc ? $"{endpoint.Url} answered {rpc.StatusCode}: {rpc.Status.Detail}" : $"{endpoint.Url}: {exception.Message}";
                    LinkLog.CallFailed(_logger, stream.Method, node.Id, endpoint.Url, lastFailure, exception);
                    throw;
                }
            }, context).ConfigureAwait(false);
            _metrics.Call(state.Tag, stream.Method, "answered", 1, _time.GetElapsedTime(started));
        }
        catch (ApplyFailedException failed)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed.InnerException!);
        }
        catch (Exception exception) when (!(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var reason = RemoteFailures.Reason(exception);
            _metrics.Call(state.Tag, stream.Method, reason, 0, _time.GetElapsedTime(started));
            throw new RemoteUnavailableException(node.Id, exception is BrokenCircuitException, Explain(node, stream.Method, reason, exception, lastFailure), exception);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private List<EndpointIdentity> Usable(RemoteNode node, out string refusals)
    {
        var usable = new List<EndpointIdentity>(node.Endpoints.Count);
        var refused = new List<string>();
        foreach (var endpoint in node.Endpoints)
        {
            if (EndpointIdentity.TryCreate(endpoint, _parent, _options.Federation.AllowInsecure, out var identity, out var refusal))
            {
                usable.Add(identity!);
                continue;
            }

            LinkLog.EndpointRefused(_logger, endpoint.GrpcUrl, node.Id, refusal);
            refused.Add(endpoint.GrpcUrl + ": " + refusal);
        }

        refusals = refused.Count == 0 ? "it advertises no gRPC endpoint (HS_SITE attribute grpc)" : string.Join("; ", refused);
        return usable;
    }

    private string Explain(RemoteNode node, string method, string reason, Exception exception, string? lastFailure) => reason switch
    {
        RemoteFailures.CircuitOpen => $"node {node.Id} is unreachable: its circuit is open after repeated failures, so {method} was not sent"
            + (exception is BrokenCircuitException { RetryAfter: { } after } ? string.Create(CultureInfo.InvariantCulture, $"; the next probe may go in {after.TotalSeconds:0.#} s") : string.Empty),
        RemoteFailures.Busy => $"{method} to node {node.Id} was refused at once: {_options.Federation.MaxInFlightPerNode} calls to it are already in flight (Federation:MaxInFlightPerNode)",
        RemoteFailures.Timeout => string.Create(CultureInfo.InvariantCulture,
            $"node {node.Id} did not answer {method} in time ({_options.Federation.TimeoutMilliseconds} ms per attempt, {_options.TotalTimeout.TotalMilliseconds} ms in all)") + Detail(lastFailure),
        _ => $"node {node.Id} could not be reached for {method}" + Detail(lastFailure ?? exception.Message),
    };

    private static string Detail(string? text) => string.IsNullOrEmpty(text) ? string.Empty : ": " + text;

    /// <summary>
    /// Only the parent holds this node's credential (it admitted it), so only calls to the parent, filings, and
    /// escrow reads (a child serves its feed to its parent only, checking the parent's key) carry the node's
    /// assertion. Any other node could not verify it and would refuse the call; to them this node resolves as an anonymous client, seeing public values only, as any resolver would.
    /// </summary>
    private bool SignsFor(RemoteNode node, string method) =>
        method is "File" or "ReadChanges" or "ReadDump" || (_options.Federation.HasParent && string.Equals(node.Id, _options.Federation.Parent.Prefix, StringComparison.OrdinalIgnoreCase));

    private CallOptions Options(ResilienceContext context, bool signed) => new(
        headers: signed ? [new Metadata.Entry(AssertionSource.Header, _assertions.Value)] : [],
        // The node's own clock, not the test's fake one: gRPC measures the deadline against the system clock.
        deadline: DateTime.UtcNow + _options.AttemptTimeout,
        cancellationToken: context.CancellationToken);

    /// <summary>One call's state across its attempts (hedged attempts run at once, so only the last failure's description is shared, racily).</summary>
    private sealed class Attempt<TResult>(GrpcNodeLink link, RemoteNode node, List<EndpointIdentity> endpoints, RemoteCall<TResult> call)
    {
        private volatile string? _lastFailure;

        public IReadOnlyList<EndpointIdentity> Endpoints => endpoints;

        public string? LastFailure => _lastFailure;

        public async ValueTask<TResult> RunAsync(ResilienceContext context)
        {
            var endpoint = endpoints[context.Properties.GetValue(NodePipelines.EndpointIndex, 0) % endpoints.Count];
            using var lease = link._channels.Rent(endpoint);
            try
            {
                return await call.SendAsync(lease, link.Options(context, link.SignsFor(node, call.Method))).ConfigureAwait(false);
            }
            catch (RpcException exception) when (!RemoteFailures.IsOutage(exception.StatusCode))
            {
                return call.Answered(exception, node.Id);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                var failure = Describe(lease.Endpoint, exception);
                _lastFailure = failure;
                LinkLog.CallFailed(link._logger, call.Method, node.Id, endpoint.Url, failure, exception);
                throw;
            }
        }

        private static string Describe(EndpointIdentity endpoint, Exception exception)
        {
            if (RemoteFailures.IsTlsFailure(exception))
            {
                return $"TLS with {endpoint.Url} refused: {endpoint.Check?.LastRefusal ?? exception.Message}";
            }

            return exception is RpcException rpc
                ? $"{endpoint.Url} answered {rpc.StatusCode}: {rpc.Status.Detail}"
                : $"{endpoint.Url}: {exception.Message}";
        }
    }
}
