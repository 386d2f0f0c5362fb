using IdResolution.Core.Caching;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Security;

namespace IdResolution.Core.Federation;

/// <summary>
/// What this node itself knows of who holds a prefix, from its own prefix handles: the answer it gives
/// other nodes' referral lookups, and its own first step when it resolves another node's handle. Never
/// asks another node. The longest prefix (from the one asked about up to this node's own) whose prefix
/// handle carries another node's sites wins: a delegated child, or a prefix a child filed with its sites.
/// A child suspended longer than <c>Federation:SuspensionGraceSeconds</c> is no longer referred to. Handles of
/// this node's own tree that no child holds are referred to this node; anything else to its parent
/// (an upward referral), or nowhere on a top level. A child under takeover (and every prefix filed under it)
/// is referred to this node itself, which answers for it read-only from its escrow copy.
/// </summary>
public sealed class ReferralAuthority
{
    private readonly HandleGrammar _grammar;
    private readonly Jurisdiction _jurisdiction;
    private readonly CoalescingRecordSource _source;
    private readonly FederationOptions _options;
    private readonly TimeProvider _time;

    public ReferralAuthority(HandleGrammar grammar, Jurisdiction jurisdiction, CoalescingRecordSource source, FederationOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        ArgumentNullException.ThrowIfNull(jurisdiction);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _grammar = grammar;
        _jurisdiction = jurisdiction;
        _source = source;
        _options = options;
        _time = time;
    }

    /// <summary>The parent as a remote node, from configuration; null on a top level.</summary>
    public RemoteNode? Parent => _options.HasParent
        ? new RemoteNode(_options.Parent.Prefix, [.. _options.Parent.Endpoints.Select(url => new NodeEndpoint(url, null, NullIfEmpty(_options.Parent.TlsName), null))])
        : null;

    /// <summary>
    /// The referral for <paramref name="prefixKey"/> (canonical key of a handle's prefix, or of the prefix a
    /// prefix handle names): another node's sites, this node's own, the parent (upward), or null (unknown).
    /// </summary>
    public async ValueTask<Referral?> LookupAsync(string prefixKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefixKey);
        var own = _jurisdiction.NodePrefixKey;
        if (Jurisdiction.IsUnder(prefixKey, own))
        {
            // Looked at before the filed prefixes below it: a prefix filed by a taken-over child still names that child's sites.
            if (await _jurisdiction.TakeoverAsync(prefixKey, cancellationToken) is { } takeover)
            {
                var self = await OwnReferralAsync(cancellationToken);
                return self with { Prefix = takeover.Prefix };
            }

            for (var candidate = prefixKey; candidate.Length > own.Length; candidate = candidate[..candidate.LastIndexOf('.')])
            {
                var record = await PrefixRecordAsync(candidate, cancellationToken);
                if (record is not null && ChildReferral(record) is { } referral)
                {
                    return referral;
                }

                // A child answers for this prefix but has not said where yet: nobody here can refer to it, not even this node.
                if (record is not null && NodeDelegation.IsDelegated(record))
                {
                    return null;
                }
            }

            if (_jurisdiction.Role != NodeRole.TopLevel)
            {
                return await OwnReferralAsync(cancellationToken);
            }

            return null;
        }

        return Parent is { } parent ? UpwardReferral(parent) : null;
    }

    /// <summary>This node's own referral: the sites on its own prefix handle, or the advertised endpoints when it has none yet.</summary>
    public async ValueTask<Referral> OwnReferralAsync(CancellationToken cancellationToken)
    {
        var own = await PrefixRecordAsync(_jurisdiction.NodePrefixKey, cancellationToken);
        var (sites, ttl) = own is null ? ([], TimeSpan.Zero) : PrefixSites.SitesOf(own, _time.GetUtcNow());
        if (sites.Count == 0)
        {
            sites = [PrefixSites.Advertised(_options.AdvertisedEndpoints, null)];
            ttl = TimeSpan.FromSeconds(_options.ReferralTtlSeconds);
        }

        return new Referral(_jurisdiction.NodePrefix, sites, Cap(ttl));
    }

    private Referral? ChildReferral(HandleRecord record)
    {
        var (status, since) = PrefixSites.StatusOf(record);
        if (status == PrefixSites.Removed
            || (status == "suspended" && _time.GetUtcNow() >= since + TimeSpan.FromSeconds(_options.SuspensionGraceSeconds)))
        {
            return null;
        }

        var (sites, ttl) = PrefixSites.SitesOf(record, _time.GetUtcNow());
        return sites.Count == 0 ? null : new Referral(record.Handle[(HandleId.NamingAuthorityPrefix.Length + 1)..], sites, Cap(ttl));
    }

    private async ValueTask<HandleRecord?> PrefixRecordAsync(string prefixKey, CancellationToken cancellationToken) =>
        _grammar.TryParse(HandleId.NamingAuthorityPrefix + "/" + prefixKey, out var id, out _)
            ? await _source.GetAsync(id.Key, cancellationToken)
            : null;

    private Referral UpwardReferral(RemoteNode parent)
    {
        var sites = parent.Endpoints.Select((endpoint, i) => new Records.SiteInfo
        {
            IsPrimary = i == 0,
            SerialNumber = i + 1,
            Attributes = ParentAttributes(endpoint),
        }).ToList();
        return new Referral(parent.Prefix, sites, Cap(TimeSpan.FromSeconds(_options.ReferralTtlSeconds)), Upward: true);
    }

    /// <summary>The parent's gRPC URL, and what its certificate must be as this node has it pinned, for whoever follows the referral.</summary>
    private List<KeyValuePair<string, string>> ParentAttributes(NodeEndpoint endpoint)
    {
        var attributes = new List<KeyValuePair<string, string>> { new(RemoteNode.GrpcAttribute, endpoint.GrpcUrl) };
        if (_options.Parent.TlsSha256.FirstOrDefault() is { Length: > 0 } pin)
        {
            attributes.Add(new(RemoteNode.TlsPinAttribute, pin));
        }

        if (_options.Parent.TlsName.Length > 0)
        {
            attributes.Add(new(RemoteNode.TlsNameAttribute, _options.Parent.TlsName));
        }

        return attributes;
    }

    private TimeSpan Cap(TimeSpan ttl)
    {
        var cap = TimeSpan.FromSeconds(_options.ReferralTtlSeconds);
        return ttl < cap ? ttl : cap;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
