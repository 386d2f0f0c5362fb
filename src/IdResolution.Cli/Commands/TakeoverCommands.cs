using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IdResolution.Cli.Output;
using IdResolution.Contracts.V1;

namespace IdResolution.Cli.Commands;

/// <summary>
/// <c>idres node takeover | hand-back | takeover-status</c>: on a parent (its administrator's profile), the emergency
/// takeover of an admitted child — its prefixes answered read-only from the parent's escrow copy — and the hand-back.
/// </summary>
internal static class TakeoverCommands
{
    public static IEnumerable<Command> Commands()
    {
        var takeoverNode = NodeArgument();
        var reason = new Option<string>("--reason") { Description = "Why, for the audit trail on both sides (e.g. \"88.709 lost power 02:10\")", Required = true };
        var takeover = new Command("takeover", "Declare an admitted child taken over: its prefixes are answered here read-only from escrow until handed back") { takeoverNode, reason };
        Invocation.Bind(takeover, async run => Show(run, (await run.Node.Administration.DeclareTakeoverAsync(
            new DeclareTakeoverRequest { Prefix = run.Get(takeoverNode), Reason = run.Get(reason) }, run.Call())).Takeover));

        var handBackNode = NodeArgument();
        var handBackReason = new Option<string>("--reason") { Description = "Why, for the audit trail (optional)" };
        var force = new Option<bool>("--force") { Description = "Hand back even though the escrow copy is behind the node, or how far is not known" };
        var handBack = new Command("hand-back", "Hand a taken-over child's prefixes back to it: referrals name it again, its held filings are taken") { handBackNode, handBackReason, force };
        Invocation.Bind(handBack, async run => Show(run, (await run.Node.Administration.HandBackAsync(
            new HandBackRequest { Prefix = run.Get(handBackNode), Reason = run.Get(handBackReason) ?? string.Empty, Force = run.Get(force) }, run.Call())).Takeover));

        var statusNode = NodeArgument();
        var status = new Command("takeover-status", "A child's takeover (none, taken_over or handed_back) and how far the escrow copy is behind it") { statusNode };
        Invocation.Bind(status, async run => Show(run, (await run.Node.Administration.GetTakeoverAsync(new GetTakeoverRequest { Prefix = run.Get(statusNode) }, run.Call())).Takeover));

        return [takeover, handBack, status];
    }

    private static Argument<string> NodeArgument() => new("node") { Description = "The admitted child's prefix, e.g. 88.709 on a top level 88" };

    private static int Show(Invocation run, TakeoverInfo takeover)
    {
        if (run.Terminal.Json)
        {
            Terminal.WriteJson(new JsonObject { ["takeover"] = ProtoJson.Node(takeover) });
            return ExitCodes.Success;
        }

        Terminal.Line($"node        {takeover.Prefix}");
        Terminal.Line($"state       {takeover.State}");
        if (takeover.DeclaredAt is not null)
        {
            Terminal.Line($"declared    {Time(takeover.DeclaredAt)} by {takeover.DeclaredBy}: {takeover.Reason}");
        }

        if (takeover.HandedBackAt is not null)
        {
            Terminal.Line($"handed back {Time(takeover.HandedBackAt)} by {takeover.HandedBackBy}{(takeover.Forced ? " (forced)" : string.Empty)}: {takeover.HandBackReason}");
        }

        Terminal.Line($"escrow lag  {(takeover.HasEscrowLag ? takeover.EscrowLag.ToString(CultureInfo.InvariantCulture) + " change(s)" : "unknown")}"
            + $" (escrow applied {(takeover.HasEscrowApplied ? takeover.EscrowApplied.ToString(CultureInfo.InvariantCulture) : "?")},"
            + $" node at {(takeover.HasNodePosition ? takeover.NodePosition.ToString(CultureInfo.InvariantCulture) : "?")})");
        return ExitCodes.Success;
    }

    private static string Time(Google.Protobuf.WellKnownTypes.Timestamp at) => at.ToDateTimeOffset().ToString("u", CultureInfo.InvariantCulture);
}
