using System.Globalization;
using System.Text;
using IdResolution.Core.Federation;
using IdResolution.Core.Records;
using IdResolution.Core.Security;

namespace IdResolution.Core.Registration;

/// <summary>The parent's side of filing: a child's prefix handle changes, applied if newer than what is held.</summary>
public sealed partial class Registrar
{
    /// <summary>Where a parent keeps the child's version of the newest filing it applied to a prefix handle.</summary>
    public const int FiledIndex = 2_000_000_000;

    /// <summary>
    /// Applies a child's filings in order. The caller must be an admitted child node (its identity
    /// <c>300:0.NA/&lt;its prefix&gt;</c>), active, and each filing a prefix handle of its own prefix or one
    /// under it. A filing older than (or as old as) the version already filed changes nothing and succeeds,
    /// so repeats and re-orderings are harmless. On the child's own prefix handle only its HS_SITE values are
    /// taken (the rest — its admission, status, credentials — is this node's); under it, every value but the
    /// child's HS_ADMIN, keys and node-managed values, and a removal leaves a tombstone that keeps the version.
    /// </summary>
    public async ValueTask<IReadOnlyList<FilingResult>> ApplyFilingsAsync(Caller caller, IReadOnlyList<Filing> filings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(filings);
        var results = new FilingResult[filings.Count];
        if (await AuthorizeFilerAsync(caller, cancellationToken) is { } refused)
        {
            for (var i = 0; i < filings.Count; i++)
            {
                results[i] = new FilingResult(filings[i].Handle, refused.Code, refused.Message, false);
            }

            return results;
        }

        // A handle filed twice in one call (changed twice since the last round) needs only its newest filing;
        // the older one is settled as already held, and one write per handle keeps the batch free of self-conflicts.
        var newest = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < filings.Count; i++)
        {
            var key = _grammar.TryParse(filings[i].Handle, out var id, out _) ? id.Key : "\0" + i.ToString(CultureInfo.InvariantCulture);
            if (!newest.TryGetValue(key, out var other) || filings[other].Version < filings[i].Version)
            {
                newest[key] = i;
            }
        }

        var applied = newest.Values.Order().ToArray();
        var childKey = ChildPrefixKey(caller)!;
        var held = new bool[applied.Length];
        var outcomes = await RunAsync(caller, applied.Length, i => PlanFiling(filings[applied[i]], childKey, i, held), cancellationToken);
        for (var i = 0; i < filings.Count; i++)
        {
            results[i] = new FilingResult(filings[i].Handle, HandleResponseCode.Success, "a newer filing of the same handle came in the same call", false);
        }

        for (var i = 0; i < applied.Length; i++)
        {
            var outcome = outcomes[i];
            results[applied[i]] = new FilingResult(filings[applied[i]].Handle, outcome.Code, outcome.Message, outcome.IsSuccess && !held[i]);
        }

        return results;
    }

    private Planned PlanFiling(Filing filing, string childKey, int item, bool[] held)
    {
        if (!_grammar.TryParse(filing.Handle, out var id, out var error) || !id.IsPrefixHandle)
        {
            return new Planned(null, filing.Handle ?? string.Empty, "file",
                new Refusal(HandleResponseCode.InvalidHandle, id is null ? _grammar.Describe(error) : $"'{filing.Handle}' is not a prefix handle (0.NA/<prefix>); only prefix handles are filed"), _ => Change.None);
        }

        var namedKey = id.Key[(id.SlashIndex + 1)..];
        if (!Jurisdiction.IsUnder(namedKey, childKey))
        {
            return new Planned(id, filing.Handle, "file",
                new Refusal(HandleResponseCode.InsufficientPermissions, $"a child node files prefix handles under its own prefix only; '{filing.Handle}' is outside {childKey}"), _ => Change.None);
        }

        var own = namedKey.Length == childKey.Length;
        if (own && filing.Removed)
        {
            return new Planned(id, filing.Handle, "file",
                new Refusal(HandleResponseCode.InsufficientPermissions, "a child node cannot remove its own prefix handle at its parent; the parent's operator withdraws a delegation"), _ => Change.None);
        }

        return new Planned(id, filing.Handle, "file", null, existing =>
        {
            // A removal carries the version of the record it removed (the change log has no version of its own for
            // a deletion), so it is newer than a filing of that same version unless the tombstone is already there.
            var filed = PrefixSites.FiledVersion(existing);
            var newer = filing.Version > filed
                || (filing.Removed && filing.Version == filed && existing is not null && PrefixSites.StatusOf(existing).Status != PrefixSites.Removed);
            if (!newer)
            {
                held[item] = true;
                return existing is null ? Change.Refuse(HandleResponseCode.HandleNotFound, "nothing to file") : Change.None;
            }

            held[item] = false;
            return Change.Set(Merge(existing, filing, own));
        }, PreAuthorized: true);
    }

    /// <summary>The values a prefix handle holds after a filing: this node's own values kept, the child's taken, the filed version recorded.</summary>
    private static List<HandleValue> Merge(HandleRecord? existing, Filing filing, bool own)
    {
        var merged = new List<HandleValue>();
        foreach (var value in existing?.Values ?? [])
        {
            // Under the child's prefix the status is the child's to file (its suspensions and removals), so the one
            // held gives way to the one filed; the other node-managed values stay this node's.
            if (value.Index != FiledIndex && (own ? !IsSite(value.Type) : IsParentManaged(value.Type) && !ValueDataFormats.HasType(value.Type, ReservedTypes.PrefixStatus)))
            {
                merged.Add(value);
            }
        }

        var taken = merged.Select(v => v.Index).ToHashSet();
        IEnumerable<HandleValue> incoming = filing.Removed
            ? [new HandleValue { Index = PrefixSites.StatusIndex, Type = ReservedTypes.PrefixStatus, Data = Encoding.UTF8.GetBytes(PrefixSites.Removed) }]
            : filing.Values.Where(value => own ? IsSite(value.Type) : !IsParentManaged(value.Type) || ValueDataFormats.HasType(value.Type, ReservedTypes.PrefixStatus));
        foreach (var value in incoming)
        {
            // This node's values keep their indexes; a child value that would take one of them is not filed.
            if (value.Index != FiledIndex && taken.Add(value.Index))
            {
                merged.Add(value);
            }
        }

        merged.Add(new HandleValue
        {
            Index = FiledIndex,
            Type = ReservedTypes.Filed,
            Data = Encoding.UTF8.GetBytes(filing.Version.ToString(CultureInfo.InvariantCulture)),
            Permissions = ValuePermissions.AdminRead | ValuePermissions.AdminWrite | ValuePermissions.PublicRead,
        });
        return merged;
    }

    /// <summary>Values a child never files: authority (HS_ADMIN), keys, and node-managed values.</summary>
    public static bool IsParentManaged(string type) =>
        ValueDataFormats.HasType(type, WellKnownTypes.Admin) || ValueDataFormats.HasType(type, "HS_PUBKEY")
        || ValueDataFormats.HasType(type, "HS_SECKEY") || ReservedTypes.IsReserved(type);

    private static bool IsSite(string type) => ValueDataFormats.HasType(type, WellKnownTypes.Site);

    private async ValueTask<Refusal?> AuthorizeFilerAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (ChildPrefixKey(caller) is not { } childKey)
        {
            return new Refusal(caller.IsAuthenticated ? HandleResponseCode.InsufficientPermissions : HandleResponseCode.AuthenticationNeeded,
                "filing needs an admitted child node's credentials");
        }

        var record = await _policy.PrefixRecordAsync(childKey, cancellationToken);
        if (record is null || !NodeDelegation.IsDelegated(record))
        {
            return new Refusal(HandleResponseCode.InsufficientPermissions, $"no child node is admitted here for prefix {childKey}");
        }

        // Held, not applied: a child restarted during its takeover must not bring its referrals back by filing its site.
        if (TakeoverMark.Read(childKey, record) is { InForce: true } takeover)
        {
            return takeover.Held();
        }

        return PrefixSites.StatusOf(record).Status == "active"
            ? null
            : new Refusal(HandleResponseCode.InsufficientPermissions, $"the child node of prefix {childKey} is suspended; its filings are refused until an administrator reinstates it");
    }

    /// <summary>The prefix of the child node a caller is (identity <c>300:0.NA/&lt;prefix&gt;</c>), canonical; null for anyone else.</summary>
    private string? ChildPrefixKey(Caller caller) =>
        caller is { Kind: CallerKind.PeerNode, Identity: { Index: NodeDelegation.IdentityIndex } identity } && _grammar.TryParse(identity.Handle, out var id, out _) && id.IsPrefixHandle
            ? id.Key[(id.SlashIndex + 1)..]
            : null;
}
