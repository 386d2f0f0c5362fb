using System.Globalization;
using System.Text.Json;
using IdResolution.Core.Records;

namespace IdResolution.Core.Federation;

/// <summary>
/// An emergency takeover of a child node by its parent, as kept on the child's prefix handle
/// <c>0.NA/&lt;prefix&gt;</c> (an IDRES_TAKEOVER value at <see cref="Index"/>): whether it is in force, who declared
/// it when and why, and once it ended, who handed the prefix back when and why. Kept on the prefix handle
/// because that is what the parent's store already persists, caches and invalidates for each child; a
/// reserved type, so only node administrators write it and a child's filing never carries it.
/// </summary>
public sealed record TakeoverMark(
    string Prefix,
    bool InForce,
    DateTimeOffset DeclaredAt,
    string DeclaredBy,
    string Reason,
    DateTimeOffset? HandedBackAt = null,
    string? HandedBackBy = null,
    string? HandBackReason = null,
    bool Forced = false)
{
    /// <summary>
    /// The index of the IDRES_TAKEOVER value on a child's prefix handle: beside the filed version's, far above the
    /// indexes a child's sites and a prefix's values take, so declaring a takeover never replaces one of them.
    /// </summary>
    public const int Index = 2_000_000_001;

    public const string Type = "IDRES_TAKEOVER";

    private const string Stamp = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>The value that holds this mark on the prefix handle: node administrators read and write it, nobody else.</summary>
    public HandleValue ToValue() => new()
    {
        Index = Index,
        Type = Type,
        Permissions = ValuePermissions.AdminRead | ValuePermissions.AdminWrite,
        Data = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["state"] = InForce ? "taken_over" : "handed_back",
            ["declaredAt"] = Text(DeclaredAt),
            ["declaredBy"] = DeclaredBy,
            ["reason"] = Reason,
            ["handedBackAt"] = HandedBackAt is { } at ? Text(at) : null,
            ["handedBackBy"] = HandedBackBy,
            ["handBackReason"] = HandBackReason,
            ["forced"] = Forced,
        }),
    };

    /// <summary>The mark on the prefix handle <paramref name="record"/> of <paramref name="prefix"/>, or null when it has none (or one unreadable).</summary>
    public static TakeoverMark? Read(string prefix, HandleRecord? record)
    {
        var value = record?.Find(Index);
        if (value is null || !ValueDataFormats.HasType(value.Type, Type))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(value.Data);
            var root = json.RootElement;
            return new TakeoverMark(
                prefix,
                Str(root, "state") == "taken_over",
                Time(root, "declaredAt") ?? DateTimeOffset.FromUnixTimeSeconds(value.Timestamp),
                Str(root, "declaredBy") ?? string.Empty,
                Str(root, "reason") ?? string.Empty,
                Time(root, "handedBackAt"),
                Str(root, "handedBackBy"),
                Str(root, "handBackReason"),
                root.TryGetProperty("forced", out var forced) && forced.ValueKind == JsonValueKind.True);
        }
        catch (JsonException)
        {
            // Written only by this node; unreadable means damaged, and a damaged mark must not take a child's referrals away.
            return null;
        }
    }

    /// <summary>
    /// The refusal of a write to a handle of a child under takeover: SERVER_BACKUP (7) — this node serves the
    /// child's handles read-only, from its escrow copy — with a reason surfaces name in their error details.
    /// </summary>
    public Refusal ReadOnly(string what) => new(HandleResponseCode.ServerBackup,
        $"node {Prefix} is under takeover, read-only: '{what}' is served from the top level's escrow copy and cannot be changed until the prefix is handed back to its node (declared {Text(DeclaredAt)} by {DeclaredBy}: {Reason})");

    /// <summary>The refusal of a taken-over child's filings and site refreshes: held, to be sent again after hand-back.</summary>
    public Refusal Held() => new(HandleResponseCode.ServerBackup,
        $"{HeldMarker}: node {Prefix} is under takeover by its parent since {Text(DeclaredAt)} ({Reason}); its filings and site refreshes are held and are taken after hand-back");

    /// <summary>Starts the message of a refused filing of a taken-over child, so the child can tell it apart from other code-7 answers.</summary>
    public const string HeldMarker = "taken over";

    /// <summary>The <see cref="Outcome{T}.Reason"/> of a write refused because the child that holds the handle is under takeover.</summary>
    public const string ReasonName = "NODE_TAKEN_OVER";

    private static string Text(DateTimeOffset at) => at.UtcDateTime.ToString(Stamp, CultureInfo.InvariantCulture);

    private static string? Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateTimeOffset? Time(JsonElement root, string name) =>
        Str(root, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
