using IdResolution.Core.Telemetry;
using IdResolution.Cql.Cluster;
using IdResolution.Federation;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IdResolution.Node.Hosting;

/// <summary>Metrics (Prometheus scrape at /metrics) and traces (OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set).</summary>
internal static class TelemetrySetup
{
    public static void AddNodeTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("idresolution-node"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(NodeMetrics.MeterName, CqlSession.MeterName)
                    .AddFederationInstrumentation()
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                metrics.AddView(DurationHistograms.Buckets);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(NodeActivity.SourceName)
                    .AddFederationInstrumentation()
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsOperational(context.Request.Path));
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
    }

    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");
}
