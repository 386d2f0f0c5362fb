using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IdResolution.Cli.Output;
using IdResolution.Contracts.V1;
using Spectre.Console;

namespace IdResolution.Cli.Commands;

/// <summary>
/// <c>idres node ...</c>: federation administration. On a parent: admit, list and suspend child nodes, take one over and
/// hand it back (<see cref="TakeoverCommands"/>). On the child
/// (its own profile): show the identity to hand to the parent's operator, and delegate (allocate) prefixes under
/// the prefix it was admitted with.
/// </summary>
internal static class NodeCommands
{
    public static Command Node()
    {
        var command = new Command("node", "Federation administration: this node's identity, admitted child nodes, delegation");

        var identity = new Command("identity", "This node's prefix, role and the credential to give the parent's operator");
        Invocation.Bind(identity, async run =>
        {
            var reply = await run.Node.Administration.GetNodeIdentityAsync(new GetNodeIdentityRequest(), run.Call());
            if (run.Terminal.Json)
            {
                Terminal.WriteJson(ProtoJson.Node(reply));
            }
            else
            {
                Terminal.Line($"prefix     {reply.Prefix}");
                Terminal.Line($"role       {reply.Role}");
                Terminal.Line($"credential {reply.Credential}");
                Terminal.Line($"parent     {(reply.ParentEndpoints.Count == 0 ? "(none: a top level)" : string.Join(", ", reply.ParentEndpoints))}");
            }

            return ExitCodes.Success;
        });

        var prefix = new Argument<string>("prefix") { Description = "The prefix delegated to the child, under this node's (e.g. 88.709 on a top level 88)" };
        var name = new Option<string>("--name") { Description = "A name for operators, e.g. secondary-a", Required = true };
        var credentials = new Option<string[]>("--credential")
        {
            Description = "key:<base64 SubjectPublicKeyInfo> (from `idres node identity` on the child) or cert:<SHA-256 thumbprint>; twice while rotating",
            Required = true,
        };
        var admit = new Command("admit", "Admit a child node and delegate it a prefix (again: replace its name and credentials)") { prefix, name, credentials };
        Invocation.Bind(admit, async run =>
        {
            var request = new AdmitNodeRequest { Prefix = run.Get(prefix), Name = run.Get(name) };
            request.Credentials.Add(run.Get(credentials));
            return Nodes(run, [(await run.Node.Administration.AdmitNodeAsync(request, run.Call())).Node], single: true);
        });

        var list = new Command("list", "Every admitted child node with its status, credentials' fingerprints and sites");
        Invocation.Bind(list, async run => Nodes(run, (await run.Node.Administration.ListNodesAsync(new ListNodesRequest(), run.Call())).Nodes, single: false));

        var (suspend, reinstate) = AdministrationCommands.SuspendCommand("an admitted child node (its filings are refused at once, its referrals withdrawn after the grace period)");
        Invocation.Bind(suspend, async run => Nodes(run, [(await run.Node.Administration.SetNodeSuspendedAsync(
            new SetNodeSuspendedRequest { Prefix = run.Get((Argument<string>)suspend.Arguments[0]), Suspended = !run.Get(reinstate) }, run.Call())).Node], single: true));

        var delegated = new Argument<string>("prefix") { Description = "A prefix under the child's own, e.g. 88.709.911 on the child 88.709" };
        var owner = new Option<string>("--owner") { Description = "The enterprise account on the child that will own it", Required = true };
        var delegate_ = new Command("delegate", "On the child node (use its profile): allocate a prefix under the prefix it was admitted with") { delegated, owner };
        Invocation.Bind(delegate_, async run =>
        {
            var reply = await run.Node.Administration.AllocatePrefixAsync(new AllocatePrefixRequest { Prefix = run.Get(delegated), Owner = run.Get(owner) }, run.Call());
            if (run.Terminal.Json)
            {
                Terminal.WriteJson(new JsonObject { ["prefix"] = ProtoJson.Node(reply.Prefix) });
            }
            else
            {
                Terminal.Line($"delegated {reply.Prefix.Prefix} to {reply.Prefix.Owner} on {run.Settings.Grpc}");
            }

            return ExitCodes.Success;
        });

        command.Subcommands.Add(identity);
        command.Subcommands.Add(admit);
        command.Subcommands.Add(list);
        command.Subcommands.Add(suspend);
        command.Subcommands.Add(delegate_);
        foreach (var takeover in TakeoverCommands.Commands())
        {
            command.Subcommands.Add(takeover);
        }

        return command;
    }

    private static int Nodes(Invocation run, IEnumerable<NodeInfo> nodes, bool single)
    {
        var all = nodes.ToList();
        if (run.Terminal.Json)
        {
            Terminal.WriteJson(single ? new JsonObject { ["node"] = ProtoJson.Node(all[0]) } : new JsonObject { ["nodes"] = ProtoJson.Array(all) });
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("prefix", "name", "status", "since", "credentials", "sites");
        foreach (var node in all)
        {
            table.AddRow(Markup.Escape(node.Prefix), Markup.Escape(node.Name), node.Suspended ? "suspended" : "active",
                node.StatusSince is null ? string.Empty : node.StatusSince.ToDateTimeOffset().ToString("u", CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(" ", node.Credentials)), node.Sites.Count.ToString(CultureInfo.InvariantCulture));
        }

        run.Terminal.Out.Write(table);
        return ExitCodes.Success;
    }
}
