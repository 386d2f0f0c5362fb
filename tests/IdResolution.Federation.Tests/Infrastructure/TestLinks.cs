using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdResolution.Core.Federation;

namespace IdResolution.Federation.Tests.Infrastructure;

/// <summary>Links as a node holding <see cref="OwnPrefix"/> makes them, with settings the tests shorten.</summary>
internal static class TestLinks
{
    public const string OwnPrefix = "88.709";

    /// <summary>
    /// Plaintext allowed (the loopback servers are h2c unless a test is about TLS); a timeout long enough
    /// that a first call on a loaded machine is not retried unless a test is about timeouts; the rest as
    /// given or the link's defaults.
    /// </summary>
    public static NodeLinkOptions Options(
        ECDsa key,
        int timeoutMilliseconds = 10_000,
        bool allowInsecure = true,
        int maxInFlight = 256,
        int? breakerMinimumThroughput = null,
        TimeSpan? breakDuration = null,
        TimeSpan? hedgingDelay = null,
        TimeSpan? channelIdleTimeout = null,
        int? maxNodeTags = null,
        X509Certificate2? clientCertificate = null)
    {
        var defaults = new NodeLinkOptions { OwnPrefix = OwnPrefix, NodeKey = key };
        return new NodeLinkOptions
        {
            OwnPrefix = OwnPrefix,
            NodeKey = key,
            ClientCertificate = clientCertificate,
            Federation = new FederationOptions { TimeoutMilliseconds = timeoutMilliseconds, AllowInsecure = allowInsecure, MaxInFlightPerNode = maxInFlight },
            BreakerMinimumThroughput = breakerMinimumThroughput ?? defaults.BreakerMinimumThroughput,
            BreakerBreakDuration = breakDuration ?? defaults.BreakerBreakDuration,
            HedgingDelay = hedgingDelay,
            ChannelIdleTimeout = channelIdleTimeout ?? defaults.ChannelIdleTimeout,
            MaxNodeTags = maxNodeTags ?? defaults.MaxNodeTags,
        };
    }

    public static RemoteNode Node(string prefix, params string[] urls) => new(prefix, [.. urls.Select(url => new NodeEndpoint(url))]);
}
