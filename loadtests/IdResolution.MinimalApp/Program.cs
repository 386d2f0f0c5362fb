using System.Globalization;
using System.Net;
using System.Text;
using Grpc.Core;
using IdResolution.Contracts.V1;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// The stack's own ceiling for the load harness: a bare ASP.NET Core and Grpc.AspNetCore app with the node's no-op
// endpoints (GET /v1/ping writing the same 199 bytes, GET /v1/ping/redirect, gRPC Resolution.Ping) and nothing else:
// no authentication, rate limits, metrics or middleware. The node's baselines over these figures are what its
// surfaces cost before any resolution work. Usage: IdResolution.MinimalApp HTTP_PORT GRPC_PORT (bound to 127.0.0.1).
if (args.Length != 2
    || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var httpPort)
    || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var grpcPort))
{
    await Console.Error.WriteLineAsync("usage: IdResolution.MinimalApp HTTP_PORT GRPC_PORT");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, httpPort, listen => listen.Protocols = HttpProtocols.Http1);
    kestrel.Listen(IPAddress.Loopback, grpcPort, listen => listen.Protocols = HttpProtocols.Http2);
});
builder.Services.AddGrpc();
var app = builder.Build();

// The same bytes as the node's baseline, which has a resolve answer's shape and size.
var body = Encoding.UTF8.GetBytes(
    """{"handle":"0.NA/PING","values":[{"index":1,"type":"URL","data":{"format":"string","value":"https://example.org/ping/baseline/reply"},"ttl":86400,"timestamp":"2025-01-01T00:00:00Z"}],"responseCode":1}""");
app.MapGet("/v1/ping", context =>
{
    context.Response.ContentType = "application/json; charset=utf-8";
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
});
app.MapGet("/v1/ping/redirect", static context =>
{
    context.Response.StatusCode = StatusCodes.Status302Found;
    context.Response.Headers.Location = "https://example.org/ping";
    return Task.CompletedTask;
});
app.MapGet("/readyz", static () => "ready");
app.MapGrpcService<PingOnly>();
await app.RunAsync();
return 0;

/// <summary>Resolution with only its no-op: every other call answers Unimplemented, as the generated base does.</summary>
internal sealed class PingOnly : Resolution.ResolutionBase
{
    private static readonly Task<PingReply> Pong = Task.FromResult(new PingReply());

    public override Task<PingReply> Ping(PingRequest request, ServerCallContext context) => Pong;
}
