using System.CommandLine;
using System.Text.Json.Nodes;
using IdResolution.Cli.Output;
using IdResolution.Contracts.V1;
using Spectre.Console;

namespace IdResolution.Cli.Commands;

/// <summary><c>idres prefix ...</c> and <c>idres account ...</c>: the Administration service, for node administrators.</summary>
internal static class AdministrationCommands
{
    public static Command Prefix()
    {
        var command = new Command("prefix", "Allocate, list, suspend and remove enterprise prefixes");

        var prefix = new Argument<string>("prefix") { Description = "e.g. 88.709.911" };
        var owner = new Option<string>("--owner") { Description = "The enterprise account that will own it", Required = true };
        var allocate = new Command("allocate", "Allocate a prefix one level under the node's to an enterprise account") { prefix, owner };
        Invocation.Bind(allocate, async run =>
            Prefixes(run, [(await run.Node.Administration.AllocatePrefixAsync(new AllocatePrefixRequest { Prefix = run.Get(prefix), Owner = run.Get(owner) }, run.Call())).Prefix], single: true));

        var list = new Command("list", "List every prefix allocated on the node");
        Invocation.Bind(list, async run => Prefixes(run, (await run.Node.Administration.ListPrefixesAsync(new ListPrefixesRequest(), run.Call())).Prefixes, single: false));

        var (suspend, reinstate) = SuspendCommand("a prefix (it still resolves but cannot be written)");
        Invocation.Bind(suspend, async run => Prefixes(run, [(await run.Node.Administration.SetPrefixSuspendedAsync(
            new SetPrefixSuspendedRequest { Prefix = run.Get((Argument<string>)suspend.Arguments[0]), Suspended = !run.Get(reinstate) }, run.Call())).Prefix], single: true));

        var removed = new Argument<string>("prefix") { Description = "e.g. 88.709.911" };
        var remove = new Command("remove", "Remove a prefix (refused while handles remain under it)") { removed };
        Invocation.Bind(remove, async run => Removed(run, run.Get(removed), (await run.Node.Administration.RemovePrefixAsync(new RemovePrefixRequest { Prefix = run.Get(removed) }, run.Call())).ResponseCode));

        command.Subcommands.Add(allocate);
        command.Subcommands.Add(list);
        command.Subcommands.Add(suspend);
        command.Subcommands.Add(remove);
        return command;
    }

    public static Command Account()
    {
        var command = new Command("account", "Create, list, suspend and remove accounts");

        var name = new Argument<string>("name") { Description = "The account name, e.g. acme" };
        var administrator = new Option<bool>("--administrator") { Description = "A node administrator instead of an enterprise account" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the new account's password from standard input" };
        var create = new Command("create", "Create an account with a password") { name, administrator, passwordStdin };
        Invocation.Bind(create, async run =>
        {
            var password = Passwords.Read(run, run.Get(passwordStdin), $"password for {run.Get(name)}:");
            var reply = await run.Node.Administration.CreateAccountAsync(new CreateAccountRequest { Name = run.Get(name), Password = password, Administrator = run.Get(administrator) }, run.Call());
            return Accounts(run, [reply.Account], single: true);
        });

        var list = new Command("list", "List every account with its role and whether it is suspended");
        Invocation.Bind(list, async run => Accounts(run, (await run.Node.Administration.ListAccountsAsync(new ListAccountsRequest(), run.Call())).Accounts, single: false));

        var (suspend, reinstate) = SuspendCommand("an account (its tokens stop working within a minute)", "name", "e.g. acme");
        Invocation.Bind(suspend, async run => Accounts(run, [(await run.Node.Administration.SetAccountSuspendedAsync(
            new SetAccountSuspendedRequest { Name = run.Get((Argument<string>)suspend.Arguments[0]), Suspended = !run.Get(reinstate) }, run.Call())).Account], single: true));

        var removed = new Argument<string>("name") { Description = "e.g. acme" };
        var remove = new Command("remove", "Remove an account") { removed };
        Invocation.Bind(remove, async run => Removed(run, run.Get(removed), (await run.Node.Administration.RemoveAccountAsync(new RemoveAccountRequest { Name = run.Get(removed) }, run.Call())).ResponseCode));

        command.Subcommands.Add(create);
        command.Subcommands.Add(list);
        command.Subcommands.Add(suspend);
        command.Subcommands.Add(remove);
        return command;
    }

    /// <summary>A <c>suspend NAME [--reinstate]</c> command: one command for both directions, as the API has one call.</summary>
    internal static (Command Command, Option<bool> Reinstate) SuspendCommand(string what, string argument = "prefix", string example = "e.g. 88.709.911")
    {
        var target = new Argument<string>(argument) { Description = example };
        var reinstate = new Option<bool>("--reinstate") { Description = "Lift the suspension instead" };
        return (new Command("suspend", $"Suspend {what}, or reinstate it") { target, reinstate }, reinstate);
    }

    internal static int Removed(Invocation run, string name, int responseCode)
    {
        if (run.Terminal.Json)
        {
            Terminal.WriteJson(new JsonObject { ["removed"] = name, ["responseCode"] = responseCode });
        }
        else
        {
            Terminal.Line($"removed {name}");
        }

        return ExitCodes.ForResponseCode(responseCode);
    }

    private static int Prefixes(Invocation run, IEnumerable<PrefixInfo> prefixes, bool single)
    {
        var all = prefixes.ToList();
        if (run.Terminal.Json)
        {
            Terminal.WriteJson(single ? new JsonObject { ["prefix"] = ProtoJson.Node(all[0]) } : new JsonObject { ["prefixes"] = ProtoJson.Array(all) });
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("prefix", "owner", "status");
        foreach (var prefix in all)
        {
            table.AddRow(Markup.Escape(prefix.Prefix), Markup.Escape(prefix.Owner), prefix.Suspended ? "suspended" : "active");
        }

        run.Terminal.Out.Write(table);
        return ExitCodes.Success;
    }

    private static int Accounts(Invocation run, IEnumerable<AccountInfo> accounts, bool single)
    {
        var all = accounts.ToList();
        if (run.Terminal.Json)
        {
            Terminal.WriteJson(single ? new JsonObject { ["account"] = ProtoJson.Node(all[0]) } : new JsonObject { ["accounts"] = ProtoJson.Array(all) });
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("account", "role", "status");
        foreach (var account in all)
        {
            table.AddRow(Markup.Escape(account.Name), account.Administrator ? "administrator" : "enterprise", account.Suspended ? "suspended" : "active");
        }

        run.Terminal.Out.Write(table);
        return ExitCodes.Success;
    }
}
