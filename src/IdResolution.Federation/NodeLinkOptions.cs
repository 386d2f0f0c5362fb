using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdResolution.Core.Federation;
using IdResolution.Core.Security;

namespace IdResolution.Federation;

/// <summary>
/// What <see cref="GrpcNodeLink"/> needs from the host: the federation settings, the node's own identity
/// (its prefix, its node key, its TLS certificate) and the resilience tuning, whose defaults suit a
/// production hierarchy and which tests shorten.
/// </summary>
public sealed class NodeLinkOptions
{
    /// <summary>The prefix this node holds: the issuer of its node assertions.</summary>
    public required string OwnPrefix { get; init; }

    /// <summary>The node key (<c>Federation:NodeKeyPath</c>) that signs the assertion every call carries.</summary>
    public required ECDsa NodeKey { get; init; }

    /// <summary>The node's TLS certificate (<c>Node:Tls</c>), presented to other nodes as its client certificate; none without TLS.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Timeout, in-flight cap, <c>AllowInsecure</c> and the parent's endpoints and pins.</summary>
    public FederationOptions Federation { get; init; } = new();

    /// <summary>Share of failed attempts on a node, within <see cref="BreakerSamplingDuration"/>, that opens its circuit.</summary>
    public double BreakerFailureRatio { get; init; } = 0.5;

    /// <summary>Attempts on a node (each try of a call, over all its sites) within <see cref="BreakerSamplingDuration"/> before its failure ratio counts (Polly's minimum is 2).</summary>
    public int BreakerMinimumThroughput { get; init; } = 6;

    public TimeSpan BreakerSamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses calls before one probe call may go through.</summary>
    public TimeSpan BreakerBreakDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of a failed resolve, referral lookup or filing batch, within the overall deadline.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>Base delay between retries (exponential, with jitter).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a resolve waits for a node's first site before asking its next one too; half the timeout when not set.</summary>
    public TimeSpan? HedgingDelay { get; init; }

    /// <summary>A channel to an endpoint unused this long is closed (its connections with it).</summary>
    public TimeSpan ChannelIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long each node assertion is valid; one is reused for half of it rather than signing every call.</summary>
    public TimeSpan AssertionLifetime { get; init; } = NodeAssertion.MaxLifetime;

    /// <summary>Distinct remote node ids that get their own metric tag; later ones are counted as <c>other</c>.</summary>
    public int MaxNodeTags { get; init; } = 1000;

    /// <summary>The deadline of one attempt (<c>Federation:TimeoutMilliseconds</c>); all attempts of a call together get twice this.</summary>
    internal TimeSpan AttemptTimeout => TimeSpan.FromMilliseconds(Federation.TimeoutMilliseconds);

    internal TimeSpan TotalTimeout => AttemptTimeout * 2;

    internal TimeSpan EffectiveHedgingDelay => HedgingDelay ?? AttemptTimeout / 2;
}
