using System.Collections.Concurrent;
using System.Diagnostics;
using IdResolution.Federation.Tests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace IdResolution.Federation.Tests;

/// <summary>One trace spans the caller's work and the other node's: the W3C trace context goes with the call.</summary>
public sealed class TracingTests : OneRemoteNode
{
    private static readonly ActivitySource Source = new("IdResolution.Federation.Tests.Tracing");

    [Fact]
    public async Task The_other_node_sees_the_callers_trace_and_the_call_is_a_client_span_of_it()
    {
        var ended = new ConcurrentQueue<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(Source.Name)
            .AddFederationInstrumentation()
            .AddProcessor(new Collect(ended))
            .Build();
        using var link = new GrpcNodeLink(TestLinks.Options(Key));

        ActivityTraceId traceId;
        using (var resolve = Source.StartActivity("resolve"))
        {
            Assert.NotNull(resolve);
            traceId = resolve.TraceId;
            await link.ResolveAsync(TestLinks.Node("88.710", Server.Url), "88.710/x", false, Token);
        }

        Assert.NotEmpty(Server.Script.Received);
        Assert.All(Server.Script.Received, call => Assert.Equal(traceId.ToHexString(), call.TraceParent?.Split('-')[1]));
        Assert.Contains(ended, span => span.TraceId == traceId && span.Kind == ActivityKind.Client);
    }

    private sealed class Collect(ConcurrentQueue<Activity> ended) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => ended.Enqueue(data);
    }
}
