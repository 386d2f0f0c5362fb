using IdResolution.Core.Caching;
using IdResolution.Core.Federation;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Security;

namespace IdResolution.Core.Duties;

/// <summary>
/// Keeps this node's own prefix handle advertising how other nodes reach it: an HS_SITE value (index 1)
/// whose attributes are <c>Federation:AdvertisedEndpoints</c> and the node's TLS certificate pin. Checked at
/// start and every <c>Federation:SiteRefreshSeconds</c>; written only when it changed, and like any change of a
/// prefix handle, filed with the parent from the change log.
/// </summary>
public sealed class SiteAdvertiser
{
    private static readonly Caller Node = Caller.Administrator("node (site refresh)", "local");

    private readonly Registrar _registrar;
    private readonly CoalescingRecordSource _source;
    private readonly HandleGrammar _grammar;
    private readonly Jurisdiction _jurisdiction;
    private readonly FederationOptions _options;
    private readonly string? _tlsSha256;

    public SiteAdvertiser(Registrar registrar, CoalescingRecordSource source, HandleGrammar grammar, Jurisdiction jurisdiction, FederationOptions options, string? tlsSha256)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(grammar);
        ArgumentNullException.ThrowIfNull(jurisdiction);
        ArgumentNullException.ThrowIfNull(options);
        _registrar = registrar;
        _source = source;
        _grammar = grammar;
        _jurisdiction = jurisdiction;
        _options = options;
        _tlsSha256 = tlsSha256;
    }

    /// <summary>Whether there is anything to advertise (a node reached by no one has no site to keep).</summary>
    public bool Enabled => _options.AdvertisedEndpoints.Grpc.Length > 0;

    /// <summary>Writes the own site when it is missing or differs; the outcome of the write, or null when nothing changed.</summary>
    public async ValueTask<Outcome<WriteReceipt>?> RefreshAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return null;
        }

        var handle = HandleId.NamingAuthorityPrefix + "/" + _jurisdiction.NodePrefix;
        if (!_grammar.TryParse(handle, out var id, out _))
        {
            return null;
        }

        var site = new HandleValue
        {
            Index = PrefixSites.OwnSiteIndex,
            Type = WellKnownTypes.Site,
            Data = PrefixSites.Advertised(_options.AdvertisedEndpoints, _tlsSha256).Encode(),
            Ttl = _options.ReferralTtlSeconds,
        };
        var current = await _source.GetFromStoreAsync(id.Key, cancellationToken);
        if (current?.Find(PrefixSites.OwnSiteIndex) is { } existing && existing.SameContent(site with { Timestamp = existing.Timestamp }))
        {
            return null;
        }

        return current is null
            ? await _registrar.CreateAsync(Node, new CreateRequest(handle, [site]), cancellationToken)
            : await _registrar.UpdateAsync(Node, new UpdateRequest(handle, [site], []), cancellationToken);
    }
}
