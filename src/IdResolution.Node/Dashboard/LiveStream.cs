using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using IdResolution.Core;
using IdResolution.Core.Security;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.Security;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// <c>GET /dashboard/live</c>: server-sent events for an administrator (the bearer token in the
/// Authorization header; browsers read it with fetch, since EventSource cannot send one). First
/// <c>history</c> (the last hour's chart points), then <c>status</c> every second (the full status, the
/// newest chart point and the escrow instruments). After <see cref="Lifetime"/> the stream ends with <c>renew</c>: the page reconnects
/// at once, so a token that expired or an account suspended meanwhile stops the stream within that time.
/// </summary>
internal static class LiveStream
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    private static readonly JsonSerializerOptions PointJson = new(JsonSerializerDefaults.Web);

    public static async Task RunAsync(HttpContext context, NodeStatusBuilder builder, TrafficHistory history, EscrowReadings escrow, TimeProvider time, ILogger<NodeStatusBuilder> logger)
    {
        var caller = context.ToCaller();
        if (AuthorizationPolicy.AuthorizeAdministration(caller) is { } refused)
        {
            await RefuseAsync(context, refused);
            return;
        }

        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        var aborted = context.RequestAborted;
        var started = Stopwatch.GetTimestamp();
        try
        {
            await WriteEventAsync(response, "history", JsonSerializer.Serialize(new { stepSeconds = TrafficHistory.StepSeconds, points = history.Series() }, PointJson), aborted);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
            do
            {
                var status = Formatter.Format(await builder.BuildAsync(aborted));
                var point = JsonSerializer.Serialize(history.Latest, PointJson);

                // Every escrow instrument as exported (the contract's two lag figures cannot say "none": the page shows n/a then).
                var escrowed = JsonSerializer.Serialize(escrow.Read().Select(r => new { r.Name, r.Unit, r.Value }), PointJson);
                await WriteEventAsync(response, "status", $$"""{"status":{{status}},"point":{{point}},"escrow":{{escrowed}}}""", aborted);
                if (Stopwatch.GetElapsedTime(started) >= Lifetime)
                {
                    await WriteEventAsync(response, "renew", "{}", aborted);
                    break;
                }
            }
            while (await timer.WaitForNextTickAsync(aborted));
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page went away.
        }

        DashboardLog.LiveStreamEnded(logger, caller.Name, (long)Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static async Task WriteEventAsync(HttpResponse response, string name, string json, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"event: {name}\ndata: {json}\n\n", Encoding.UTF8, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static Task RefuseAsync(HttpContext context, Refusal refused)
    {
        var status = HandleStatus.ToStatusCode(refused.Code);
        var http = status switch
        {
            Grpc.Core.StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
            Grpc.Core.StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status400BadRequest,
        };
        return ErrorResponses.WriteAsync(context, http, HandleStatus.ToRpcStatus(refused.Code, refused.Message));
    }
}
