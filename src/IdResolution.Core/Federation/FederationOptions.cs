namespace IdResolution.Core.Federation;

/// <summary>Which level of the hierarchy a node plays (configuration <c>Node:Role</c>); the program is the same.</summary>
public enum NodeRole
{
    /// <summary>Admitted by a top level; allocates enterprise prefixes and holds their identifiers (the default).</summary>
    Secondary,

    /// <summary>The root of its tree: holds prefix handles only, and its children's escrow copies; no product identifiers.</summary>
    TopLevel,

    /// <summary>An enterprise's own node, admitted by a secondary; holds the identifiers under its prefix.</summary>
    Enterprise,
}

/// <summary>Whether a node resolves other nodes' handles for its clients or answers them with the referral.</summary>
public enum RecursionMode
{
    /// <summary>Every client gets the referral (Handle code 303).</summary>
    Off,

    /// <summary>Authenticated clients get the answer; anonymous ones the referral.</summary>
    Authenticated,

    /// <summary>Every client gets the answer (anonymous recursion spends the caller's resolution budget).</summary>
    All,
}

/// <summary>The node's place in the hierarchy and how it talks to other nodes (configuration section <c>Federation</c>).</summary>
public sealed class FederationOptions
{
    public const string Section = "Federation";

    /// <summary>The node this one is admitted by; none on a top level.</summary>
    public ParentOptions Parent { get; set; } = new();

    /// <summary>How other nodes reach this one (often not the bind address: a load balancer, a public name).</summary>
    public AdvertisedEndpoints AdvertisedEndpoints { get; set; } = new();

    /// <summary>Federate without TLS (development only): the answers a node receives are then unprotected.</summary>
    public bool AllowInsecure { get; set; }

    /// <summary>Referrals followed for one resolution before it ends with Handle code 6.</summary>
    public int MaxReferrals { get; set; } = 8;

    public RecursionMode Recursion { get; set; } = RecursionMode.All;

    /// <summary>Upper bound of a referral's cache time, whatever its HS_SITE TTL says.</summary>
    public int ReferralTtlSeconds { get; set; } = 300;

    /// <summary>Deadline of one call to another node (each attempt, and all attempts together at twice this).</summary>
    public int TimeoutMilliseconds { get; set; } = 2000;

    /// <summary>While a node is unreachable, each prefix of its is tried again at most this often; stale answers meanwhile.</summary>
    public int StaleRetrySeconds { get; set; } = 30;

    /// <summary>How long past its expiry an answer or referral may still be served while its node is unreachable (RFC 8767).</summary>
    public int MaxStaleSeconds { get; set; } = 86_400;

    /// <summary>Bound of the stale store (answers and referrals kept past their expiry).</summary>
    public int StaleMaxEntries { get; set; } = 100_000;

    /// <summary>Calls in flight to one remote node at once; more are refused at once rather than queued.</summary>
    public int MaxInFlightPerNode { get; set; } = 256;

    /// <summary>After a child is suspended, its referrals are still given for this long, then withdrawn.</summary>
    public int SuspensionGraceSeconds { get; set; } = 3600;

    /// <summary>How often the node checks that its own prefix handle advertises its current endpoints.</summary>
    public int SiteRefreshSeconds { get; set; } = 300;

    /// <summary>Filings sent to the parent in one call.</summary>
    public int FilingBatch { get; set; } = 100;

    /// <summary>The node's ECDSA P-256 key (PKCS#8 PEM), made at first start; its public part is the credential the parent admits.</summary>
    public string NodeKeyPath { get; set; } = "./keys/node-key.pem";

    public bool HasParent => Parent.Endpoints.Count > 0;
}

/// <summary>The parent node: the prefix it holds, its endpoints (several for several instances or sites), its pinned identity.</summary>
public sealed class ParentOptions
{
    /// <summary>The prefix the parent holds (e.g. 88 for a top level).</summary>
    public string Prefix { get; set; } = string.Empty;

    /// <summary>gRPC URLs of the parent's instances or sites, in order of preference (primary first).</summary>
    public IList<string> Endpoints { get; } = [];

    /// <summary>SHA-256 thumbprints (hex) of the parent's TLS server certificates: the parent is whoever holds one of them.</summary>
    public IList<string> TlsSha256 { get; } = [];

    /// <summary>The server name the parent's certificates carry, when it is not the endpoints' host.</summary>
    public string TlsName { get; set; } = string.Empty;

    /// <summary>
    /// The parent's node keys (<c>key:&lt;base64 SubjectPublicKeyInfo&gt;</c>, as its GetNodeIdentity shows them; two
    /// while it rotates): the parent's calls to this node (its escrow reading the change log) are signed with one.
    /// </summary>
    public IList<string> Credentials { get; } = [];
}

/// <summary>The URLs and TLS name other nodes use for this node; they go into its prefix handle's HS_SITE attributes.</summary>
public sealed class AdvertisedEndpoints
{
    public string Grpc { get; set; } = string.Empty;

    public string Http { get; set; } = string.Empty;

    public string TlsName { get; set; } = string.Empty;
}
