using IdResolution.Cli.Commands;

return await CommandTree.RunAsync(args);
