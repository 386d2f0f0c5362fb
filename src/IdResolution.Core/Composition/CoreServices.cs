using IdResolution.Core.Caching;
using IdResolution.Core.Federation;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Resolution;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;
using IdResolution.Core.Administration;
using IdResolution.Core.Escrow;

namespace IdResolution.Core.Composition;

/// <summary>
/// The core's object graph over one store: the single place it is wired, for the host and for
/// tests alike. The in-process cache tier can be passed in, and a shared tier (Redis) behind it, and on a
/// parent its escrow copies of its children (without them a takeover cannot be declared).
/// </summary>
public sealed class CoreServices : IDisposable
{
    private readonly InProcessRecordCache? _ownedCache;

    public CoreServices(IHandleStore store, IAuditLog audit, CoreOptions options, TimeProvider time, NodeMetrics metrics, IRecordCache? cache = null, ISharedRecordCache? shared = null, INodeLink? link = null,
        IEscrowStore? escrow = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        Options = options;
        Store = store;
        Grammar = new HandleGrammar(options.Identifiers);
        Validator = new RecordValidator(options.Records, Grammar);
        if (cache is null)
        {
            _ownedCache = new InProcessRecordCache(options.Cache, time, metrics);
            cache = _ownedCache;
        }

        Cache = cache;
        var ttl = new CacheTtlPolicy(options.Cache, time);
        // Only the reads of the resolution path go through the stalls a diagnostic run may ask for (Store:StallMilliseconds).
        Source = new CoalescingRecordSource(cache, shared, StallingHandleStore.Around(store, options.StoreStall, time), ttl, TimeSpan.FromSeconds(Math.Max(0, options.Cache.LocalMaxTtlSeconds)), metrics);
        Policy = new AuthorizationPolicy(Grammar, Source);
        Jurisdiction = new Jurisdiction(Grammar, options.Security.NodePrefix, Source, options.Role);
        Referrals = new ReferralAuthority(Grammar, Jurisdiction, Source, options.Federation, time);
        Federation = new FederatedResolver(Grammar, Referrals, new ReferralCache(options.Federation, time), link, Source, ttl, options.Federation, time, metrics);
        Escrow = escrow;
        Resolver = new Resolver(Grammar, Source, metrics, Policy, Jurisdiction, Federation, options.Federation.Recursion, escrow);
        Registrar = new Registrar(Grammar, Validator, store, Source, new VersionClock(time), time, metrics, options.Registry, Policy, audit, Jurisdiction);
        Audit = audit;
        Accounts = new AccountDirectory(Registrar, Source, Grammar, options.Security);
        Prefixes = new PrefixAuthority(Registrar, Source, Grammar, Accounts, options.Security);
        Nodes = new NodeDirectory(Registrar, Source, Grammar, Jurisdiction, time);
    }

    public CoreOptions Options { get; }

    public IHandleStore Store { get; }

    public HandleGrammar Grammar { get; }

    public RecordValidator Validator { get; }

    public IRecordCache Cache { get; }

    public CoalescingRecordSource Source { get; }

    public Resolver Resolver { get; }

    public Registrar Registrar { get; }

    /// <summary>What this node itself knows of which node holds a prefix (the answer to other nodes' referral lookups).</summary>
    public ReferralAuthority Referrals { get; }

    /// <summary>Resolution of other nodes' handles.</summary>
    public FederatedResolver Federation { get; }

    /// <summary>Which handles this node holds: the one answer every surface uses.</summary>
    public Jurisdiction Jurisdiction { get; }

    public AuthorizationPolicy Policy { get; }

    /// <summary>This node's escrow copies of its children; null when none is configured.</summary>
    public IEscrowStore? Escrow { get; }

    public IAuditLog Audit { get; }

    public AccountDirectory Accounts { get; }

    public PrefixAuthority Prefixes { get; }

    /// <summary>The child nodes this node admitted, by prefix and by credential.</summary>
    public NodeDirectory Nodes { get; }

    public void Dispose()
    {
        Nodes.Dispose();
        Source.Dispose();
        _ownedCache?.Dispose();
    }
}
