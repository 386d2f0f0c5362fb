using System.CommandLine;
using IdResolution.Cli.Output;

namespace IdResolution.Cli.Commands;

/// <summary>The <c>idres</c> command line: every command under one root, with the global options.</summary>
internal static class CommandTree
{
    public static RootCommand Build()
    {
        var root = new RootCommand("idres: the command line of an IdResolution node (resolve, register, bulk import and export, administration)");
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(ResolveCommand.Create());
        root.Subcommands.Add(WriteCommands.Register());
        root.Subcommands.Add(WriteCommands.Update());
        root.Subcommands.Add(WriteCommands.Delete());
        root.Subcommands.Add(WriteCommands.List());
        root.Subcommands.Add(BulkCommands.Import());
        root.Subcommands.Add(BulkCommands.Export());
        root.Subcommands.Add(AdministrationCommands.Prefix());
        root.Subcommands.Add(AdministrationCommands.Account());
        root.Subcommands.Add(NodeCommands.Node());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(SessionCommands.Login());
        root.Subcommands.Add(SessionCommands.Status());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Usage errors exit 2 (the library's own default is 1, which scripts read as "some items failed").
            var failure = CliFailure.Usage(string.Join("; ", parse.Errors.Select(error => error.Message)) + " (see idres --help)");
            new Terminal(args.Contains("--json")).Fail(failure);
            return failure.ExitCode;
        }

        // Ctrl-C is the commands' own business (an import finishes its chunks in flight and saves its checkpoint).
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
