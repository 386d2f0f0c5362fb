using System.Globalization;
using IdResolution.Core.Composition;
using IdResolution.Core.Federation;
using IdResolution.Federation.Channels;

namespace IdResolution.Federation;

/// <summary>
/// The start-time checks of what node-to-node calls are configured with. Remote nodes learned from
/// referrals can only be judged per call; the parent is known at start, so a plaintext or malformed
/// parent endpoint stops the node with the setting named instead of failing every filing later.
/// </summary>
public static class NodeLinkSettings
{
    public static void Check(FederationOptions federation, SettingProblems problems)
    {
        ArgumentNullException.ThrowIfNull(federation);
        ArgumentNullException.ThrowIfNull(problems);
        const string section = FederationOptions.Section;
        problems.Range($"{section}:TimeoutMilliseconds", federation.TimeoutMilliseconds, 20, 600_000);
        problems.Range($"{section}:MaxInFlightPerNode", federation.MaxInFlightPerNode, 1, 1_000_000);
        for (var i = 0; i < federation.Parent.Endpoints.Count; i++)
        {
            if (EndpointIdentity.Problem(federation.Parent.Endpoints[i], federation.AllowInsecure, out _) is { } problem)
            {
                problems.Add(Invariant($"{section}:Parent:Endpoints:{i}"), federation.Parent.Endpoints[i],
                    "an absolute https:// URL of the parent's gRPC port (http:// only with Federation:AllowInsecure=true, for development): " + problem);
            }
        }

        for (var i = 0; i < federation.Parent.TlsSha256.Count; i++)
        {
            problems.Check(CertificatePins.Canonical(federation.Parent.TlsSha256[i]) is not null, Invariant($"{section}:Parent:TlsSha256:{i}"),
                federation.Parent.TlsSha256[i], "the SHA-256 thumbprint of a certificate of the parent, 64 hex digits (colons allowed)");
        }
    }

    /// <summary>The settings and the tuning that are not configuration keys (checked here because Polly would refuse them only at the first call).</summary>
    internal static void Check(NodeLinkOptions options, SettingProblems problems)
    {
        Check(options.Federation, problems);
        const string type = nameof(NodeLinkOptions);
        problems.Required($"{type}.{nameof(options.OwnPrefix)}", options.OwnPrefix, "the prefix this node holds, the issuer of its node assertions");
        problems.Check(options.NodeKey is { KeySize: 256 }, $"{type}.{nameof(options.NodeKey)}", options.NodeKey?.KeySize, "an ECDSA P-256 key");
        problems.Range($"{type}.{nameof(options.BreakerFailureRatio)}", options.BreakerFailureRatio, 0.01, 1);
        problems.Range($"{type}.{nameof(options.BreakerMinimumThroughput)}", options.BreakerMinimumThroughput, 2, 1_000_000);
        AtLeast(problems, $"{type}.{nameof(options.BreakerSamplingDuration)}", options.BreakerSamplingDuration, TimeSpan.FromMilliseconds(500));
        AtLeast(problems, $"{type}.{nameof(options.BreakerBreakDuration)}", options.BreakerBreakDuration, TimeSpan.FromMilliseconds(500));
        problems.Range($"{type}.{nameof(options.MaxRetries)}", options.MaxRetries, 0, 10);
        AtLeast(problems, $"{type}.{nameof(options.RetryDelay)}", options.RetryDelay, TimeSpan.Zero);
        AtLeast(problems, $"{type}.{nameof(options.HedgingDelay)}", options.EffectiveHedgingDelay, TimeSpan.Zero);
        AtLeast(problems, $"{type}.{nameof(options.ChannelIdleTimeout)}", options.ChannelIdleTimeout, TimeSpan.FromMilliseconds(10));
        problems.Check(options.AssertionLifetime > TimeSpan.FromSeconds(2) && options.AssertionLifetime <= Core.Security.NodeAssertion.MaxLifetime,
            $"{type}.{nameof(options.AssertionLifetime)}", options.AssertionLifetime, Invariant($"more than 2 s, at most {Core.Security.NodeAssertion.MaxLifetime}"));
        problems.Range($"{type}.{nameof(options.MaxNodeTags)}", options.MaxNodeTags, 1, 100_000);
    }

    private static void AtLeast(SettingProblems problems, string key, TimeSpan value, TimeSpan min) =>
        problems.Check(value >= min, key, value, Invariant($"at least {min}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
