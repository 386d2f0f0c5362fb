using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace IdResolution.Federation;

/// <summary>
/// What the host adds to its OpenTelemetry set-up for node-to-node calls: client spans of the gRPC calls,
/// which also carry the W3C trace context (<c>traceparent</c>) to the other node, so one trace spans a
/// client's resolve here, the referral lookup and the remote resolve there; and the link's meter.
/// </summary>
public static class FederationInstrumentation
{
    public static TracerProviderBuilder AddFederationInstrumentation(this TracerProviderBuilder builder) => builder.AddGrpcClientInstrumentation();

    public static MeterProviderBuilder AddFederationInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(GrpcNodeLink.MeterName);
    }
}
