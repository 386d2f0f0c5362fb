using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Google.Protobuf;
using IdResolution.Core;
using IdResolution.Node.Budgets;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.Security;
using IdResolution.Node.Settings;
using Microsoft.AspNetCore.RateLimiting;

namespace IdResolution.Node.Hosting;

/// <summary>
/// Per-client token buckets, one budget for resolution and one for the registry (writes), so a client
/// that floods one cannot spend another client's budget or its own budget for the other; admitted child
/// nodes spend a third, larger one (peers) on every call, whatever the endpoint declares. Refusals are
/// cheap and immediate (nothing queues): gRPC callers get RESOURCE_EXHAUSTED, HTTP callers 429, both
/// with Retry-After and Handle code 3 (SERVER_TOO_BUSY). Each endpoint declares the budget it spends
/// where it is mapped (<see cref="SpendsBudgetAttribute"/>); one that declares none spends the
/// resolution budget, so a new route is never unlimited by omission. Operational endpoints (health,
/// readiness, metrics, gRPC health and reflection) are declared unlimited.
/// </summary>
internal static class RateLimits
{
    private static readonly ClientKey Unlimited = new(RequestBudget.Unlimited, string.Empty);

    public static void AddNodeRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<RateLimitOptions>(configuration, RateLimitOptions.Section, HostingOptionsValidation.Check);
        services.AddRateLimiter(_ => { });

        // Built when the limiter is first used, from settings checked at start.
        services.AddOptions<RateLimiterOptions>().Configure<RateLimitOptions>((limiter, options) =>
        {
            if (!options.Enabled)
            {
                return;
            }

            var resolution = Bucket(options.Resolution);
            var writes = Bucket(options.Writes);
            var peers = Bucket(options.Peers);
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, ClientKey>(context =>
            {
                var budget = Classify(context);
                return budget switch
                {
                    RequestBudget.Resolution => RateLimitPartition.GetTokenBucketLimiter(new ClientKey(budget, Client(context)), _ => resolution),
                    RequestBudget.Writes => RateLimitPartition.GetTokenBucketLimiter(new ClientKey(budget, Client(context)), _ => writes),
                    RequestBudget.Peers => RateLimitPartition.GetTokenBucketLimiter(new ClientKey(budget, Client(context)), _ => peers),
                    _ => RateLimitPartition.GetNoLimiter(Unlimited),
                };
            });
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (rejected, cancellationToken) => RefuseAsync(rejected.HttpContext, rejected.Lease, cancellationToken);
        });
    }

    /// <summary>
    /// After the authentication middleware, which found the caller's identity (or none): the limiter
    /// authenticates nothing itself. A request whose credentials failed counts as anonymous, against its address.
    /// </summary>
    public static void UseNodeRateLimits(this WebApplication app)
    {
        if (app.Services.GetRequiredService<RateLimitOptions>().Enabled)
        {
            app.UseRateLimiter();
        }
    }

    /// <summary>An admitted child node spends its own budget on whatever it calls; everyone else what the endpoint declares.</summary>
    private static RequestBudget Classify(HttpContext context)
    {
        var declared = context.GetEndpoint()?.Metadata.GetMetadata<SpendsBudgetAttribute>()?.Budget ?? RequestBudget.Resolution;
        return declared != RequestBudget.Unlimited && context.User.FindFirst(NodeClaims.Kind)?.Value == NodeClaims.KindPeer ? RequestBudget.Peers : declared;
    }

    /// <summary>The authenticated identity (index:handle when the scheme gives one), else the client address.</summary>
    private static string Client(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            var handle = user.FindFirst(NodeClaims.Handle)?.Value;
            var index = user.FindFirst(NodeClaims.Index)?.Value;
            if (!string.IsNullOrEmpty(handle) && !string.IsNullOrEmpty(index))
            {
                return "id:" + index + ":" + handle;
            }

            if (!string.IsNullOrEmpty(user.Identity.Name))
            {
                return "id:" + user.Identity.Name;
            }
        }

        return "ip:" + Network(context.Connection.RemoteIpAddress);
    }

    /// <summary>An IPv4 address, or the /64 of an IPv6 one: a single IPv6 client usually holds a whole /64.</summary>
    private static string Network(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>
    /// Refilled in steps of about a tenth of a second. Partitions do not run timers of their own:
    /// the partitioned limiter's heartbeat replenishes them by elapsed time and drops idle full ones.
    /// </summary>
    private static TokenBucketRateLimiterOptions Bucket(TokenBucketBudget budget)
    {
        var tokensPerPeriod = (int)Math.Clamp(Math.Round(budget.PermitsPerSecond / 10), 1, budget.Burst);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = budget.Burst,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds(tokensPerPeriod / budget.PermitsPerSecond),
            QueueLimit = 0,
            AutoReplenishment = false,
        };
    }

    private static ValueTask RefuseAsync(HttpContext context, RateLimitLease lease, CancellationToken cancellationToken)
    {
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        var message = Classify(context) switch
        {
            RequestBudget.Writes => $"too many registry requests from this client; retry after {seconds} s",
            RequestBudget.Peers => $"too many requests from this node (RateLimits:Peers); retry after {seconds} s",
            _ => $"too many resolution requests from this client; retry after {seconds} s",
        };
        var status = HandleStatus.ToRpcStatus(HandleResponseCode.ServerTooBusy, message, status: Grpc.Core.StatusCode.ResourceExhausted);
        var response = context.Response;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            // Trailers-only: the status travels in the headers of an empty 200 response.
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = ((int)Grpc.Core.StatusCode.ResourceExhausted).ToString(CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = message;
            response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
            return ValueTask.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.ContentType = "application/json";
        return new ValueTask(response.WriteAsync(HandleStatus.Json.Format(status), cancellationToken));
    }

    private readonly record struct ClientKey(RequestBudget Budget, string Client);
}
