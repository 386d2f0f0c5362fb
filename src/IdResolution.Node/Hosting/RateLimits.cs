using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using IdResolution.Core;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.Security;
using Microsoft.AspNetCore.Authentication;

namespace IdResolution.Node.Hosting;

/// <summary>
/// Per-client token buckets, one budget for resolution and one for the registry (writes), so a client
/// that floods one cannot spend another client's budget or its own budget for the other. Refusals are
/// cheap and immediate (nothing queues): gRPC callers get RESOURCE_EXHAUSTED, HTTP callers 429, both
/// with Retry-After and Handle code 3 (SERVER_TOO_BUSY). Operational endpoints (health, readiness,
/// metrics, gRPC health and reflection) are never limited.
/// </summary>
internal static class RateLimits
{
    private static readonly string ResolutionService = Contracts.V1.Resolution.Descriptor.FullName;
    private static readonly string RegistryService = Contracts.V1.Registry.Descriptor.FullName;
    private static readonly string AdministrationService = Contracts.V1.Administration.Descriptor.FullName;
    private static readonly ClientKey Unlimited = new(Budget.None, string.Empty);

    private enum Budget
    {
        None,
        Resolution,
        Writes,
    }

    public static void AddNodeRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new RateLimitOptions();
        configuration.GetSection(RateLimitOptions.Section).Bind(options);
        services.AddSingleton(options);
        if (!options.Enabled)
        {
            return;
        }

        var resolution = Bucket(options.Resolution, "Resolution");
        var writes = Bucket(options.Writes, "Writes");
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, ClientKey>(context =>
            {
                var budget = Classify(context);
                return budget switch
                {
                    Budget.Resolution => RateLimitPartition.GetTokenBucketLimiter(new ClientKey(budget, Client(context)), _ => resolution),
                    Budget.Writes => RateLimitPartition.GetTokenBucketLimiter(new ClientKey(budget, Client(context)), _ => writes),
                    _ => RateLimitPartition.GetNoLimiter(Unlimited),
                };
            });
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (rejected, cancellationToken) => RefuseAsync(rejected.HttpContext, rejected.Lease, cancellationToken);
        });
    }

    /// <summary>Place after authentication when the pipeline has it; it also works before (see below).</summary>
    public static void UseNodeRateLimits(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<RateLimitOptions>().Enabled)
        {
            return;
        }

        // Budgets belong to identities: make sure the caller is authenticated (if the node has a
        // default scheme) whatever the order of middleware; handlers cache the result per request.
        app.Use(async (context, next) =>
        {
            await AuthenticateAsync(context);
            await next(context);
        });
        app.UseRateLimiter();
    }

    private static async Task AuthenticateAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true
            || context.RequestServices.GetService<IAuthenticationSchemeProvider>() is not { } schemes
            || await schemes.GetDefaultAuthenticateSchemeAsync() is null)
        {
            return;
        }

        var result = await context.AuthenticateAsync();
        if (result.Succeeded)
        {
            context.User = result.Principal;
        }
    }

    /// <summary>
    /// By the gRPC method the endpoint serves, which is on both the gRPC endpoint and its JSON
    /// transcoding routes; endpoints that serve no node method (health, metrics, reflection) are not limited.
    /// </summary>
    private static Budget Classify(HttpContext context)
    {
        var serviceName = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.ServiceName;
        if (string.Equals(serviceName, ResolutionService, StringComparison.Ordinal))
        {
            return Budget.Resolution;
        }

        // The Handle.Net REST API: resolving a handle is resolution; writes and listing are writes, as on the registry service.
        if (context.Request.Path.StartsWithSegments("/api/handles", out var rest))
        {
            return HttpMethods.IsGet(context.Request.Method) && rest.HasValue && rest.Value!.Length > 1 ? Budget.Resolution : Budget.Writes;
        }

        // Administration and password sign-in count as writes: the latter so that guessing passwords is as slow as writing.
        return string.Equals(serviceName, RegistryService, StringComparison.Ordinal)
            || string.Equals(serviceName, AdministrationService, StringComparison.Ordinal)
            || context.Request.Path.StartsWithSegments("/identity/token")
            ? Budget.Writes
            : Budget.None;
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
    private static TokenBucketRateLimiterOptions Bucket(TokenBucketBudget budget, string name)
    {
        if (!(budget.PermitsPerSecond > 0) || double.IsInfinity(budget.PermitsPerSecond) || budget.Burst < 1)
        {
            throw new InvalidOperationException(
                $"{RateLimitOptions.Section}:{name} needs PermitsPerSecond > 0 and Burst >= 1 (or set {RateLimitOptions.Section}:Enabled=false)");
        }

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
        var what = Classify(context) == Budget.Writes ? "registry" : "resolution";
        var message = $"too many {what} requests from this client; retry after {seconds} s";
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

    private readonly record struct ClientKey(Budget Budget, string Client);
}
