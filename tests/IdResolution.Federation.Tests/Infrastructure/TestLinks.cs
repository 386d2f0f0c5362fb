using System.Security.Cryptography;
using IdResolution.Core.Federation;

namespace IdResolution.Federation.Tests.Infrastructure;

/// <summary>Links as a node holding <see cref="OwnPrefix"/> makes them, with settings the tests shorten.</summary>
internal static class TestLinks
{
    public const string OwnPrefix = "88.709";

    /// <summary>Plaintext allowed (the loopback servers are h2c unless a test is about TLS), a short timeout.</summary>
    public static NodeLinkOptions Options(ECDsa key, int timeoutMilliseconds = 2000, bool allowInsecure = true, int maxInFlight = 256) => new()
    {
        OwnPrefix = OwnPrefix,
        NodeKey = key,
        Federation = new FederationOptions { TimeoutMilliseconds = timeoutMilliseconds, AllowInsecure = allowInsecure, MaxInFlightPerNode = maxInFlight },
    };

    public static RemoteNode Node(string prefix, params string[] urls) => new(prefix, [.. urls.Select(url => new NodeEndpoint(url))]);
}
