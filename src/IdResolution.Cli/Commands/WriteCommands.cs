using System.CommandLine;
using System.Text.Json.Nodes;
using IdResolution.Cli.Output;
using IdResolution.Contracts.V1;

namespace IdResolution.Cli.Commands;

/// <summary><c>idres register</c>, <c>update</c> and <c>delete</c>: single-record writes.</summary>
internal static class WriteCommands
{
    public static Command Register()
    {
        var handle = new Argument<string>("handle") { Description = "The handle to create, e.g. 88.709.911/ABC-0001" };
        var values = new Option<string[]>("--value", "-v") { Description = "A value as INDEX:TYPE=DATA, e.g. 1:URL=https://example.com/a (repeatable)" };
        var ttl = new Option<uint?>("--ttl") { Description = "Time to live of the values, in seconds (default 86400)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace the record if it exists with other values" };
        var command = new Command("register", "Create a handle with its values (repeating a create with the stored values succeeds)") { handle, values, ttl, overwrite };
        Invocation.Bind(command, async run =>
        {
            var request = new CreateHandleRequest { Handle = run.Get(handle), Overwrite = run.Get(overwrite) };
            request.Values.Add((run.Get(values) ?? []).Select(spec => ValueSpecs.Parse(spec, run.Get(ttl))));
            var reply = await run.Node.Registry.CreateHandleAsync(request, run.Call());
            if (run.Terminal.Json)
            {
                Terminal.WriteJson(ProtoJson.Node(reply));
            }
            else
            {
                Terminal.Line($"{(reply.Created ? "created" : "unchanged")} {reply.Handle}");
                run.Terminal.Out.Write(ValueText.Table(reply.Values));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Update()
    {
        var handle = new Argument<string>("handle") { Description = "An existing handle" };
        var set = new Option<string[]>("--set", "-v") { Description = "Add or replace the value at an index, INDEX:TYPE=DATA (repeatable)" };
        var remove = new Option<uint[]>("--remove") { Description = "Remove the value at this index (repeatable)" };
        var ttl = new Option<uint?>("--ttl") { Description = "Time to live of the values set, in seconds (default 86400)" };
        var command = new Command("update", "Set values by index and remove indexes of an existing handle") { handle, set, remove, ttl };
        Invocation.Bind(command, async run =>
        {
            var item = new UpdateItem { Handle = run.Get(handle) };
            item.Values.Add((run.Get(set) ?? []).Select(spec => ValueSpecs.Parse(spec, run.Get(ttl))));
            item.RemoveIndexes.Add(run.Get(remove) ?? []);
            if (item.Values.Count == 0 && item.RemoveIndexes.Count == 0)
            {
                throw CliFailure.Usage("say what to change: --set INDEX:TYPE=DATA and/or --remove INDEX");
            }

            var request = new BatchUpdateRequest();
            request.Items.Add(item);
            var result = (await run.Node.Registry.BatchUpdateAsync(request, run.Call())).Results.Single();
            if (result.ResponseCode != 1)
            {
                throw new CliFailure(ExitCodes.ForResponseCode(result.ResponseCode), result.Message, responseCode: result.ResponseCode);
            }

            if (run.Terminal.Json)
            {
                Terminal.WriteJson(ProtoJson.Node(result));
            }
            else
            {
                Terminal.Line($"updated {result.Handle}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Delete()
    {
        var handles = new Argument<string[]>("handle") { Description = "One or more handles (up to 2,000)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("delete", "Delete handles with all their values") { handles };
        Invocation.Bind(command, async run =>
        {
            var names = run.Get(handles);
            if (names.Length > 2000)
            {
                throw CliFailure.Usage("delete takes up to 2,000 handles at once");
            }

            var request = new BatchDeleteRequest();
            request.Handles.Add(names);
            var reply = await run.Node.Registry.BatchDeleteAsync(request, run.Call());
            if (run.Terminal.Json)
            {
                Terminal.WriteJson(new JsonObject
                {
                    ["results"] = ProtoJson.Array(reply.Results),
                    ["succeeded"] = reply.Succeeded,
                    ["failed"] = reply.Failed,
                });
            }
            else
            {
                foreach (var result in reply.Results)
                {
                    Terminal.Line(result.ResponseCode == 1 ? $"deleted {result.Handle}" : $"{result.Handle}: {result.Message} (Handle code {result.ResponseCode})");
                }
            }

            return reply.Failed == 0 ? ExitCodes.Success
                : reply.Results.Count == 1 ? ExitCodes.ForResponseCode(reply.Results[0].ResponseCode)
                : ExitCodes.PartlyFailed;
        });
        return command;
    }

    public static Command List()
    {
        var prefix = new Argument<string>("prefix") { Description = "The prefix, e.g. 88.709.911" };
        var pageSize = new Option<uint>("--page-size") { Description = "Handles per page (at most 1,000)", DefaultValueFactory = _ => 100 };
        var pageToken = new Option<string?>("--page-token") { Description = "Where to go on, from a previous page's nextPageToken" };
        var all = new Option<bool>("--all") { Description = "Follow every page to the end" };
        var command = new Command("list", "List the handles under a prefix, a page at a time") { prefix, pageSize, pageToken, all };
        Invocation.Bind(command, async run =>
        {
            var collected = new JsonArray();
            var token = run.Get(pageToken) ?? string.Empty;
            var name = run.Get(prefix);
            do
            {
                var page = await run.Node.Registry.ListHandlesAsync(new ListHandlesRequest { Prefix = name, PageSize = run.Get(pageSize), PageToken = token }, run.Call());
                foreach (var handle in page.Handles)
                {
                    if (run.Terminal.Json)
                    {
                        collected.Add(handle);
                    }
                    else
                    {
                        Terminal.Line(handle);
                    }
                }

                token = page.NextPageToken;
            }
            while (run.Get(all) && token.Length > 0);

            if (run.Terminal.Json)
            {
                var document = new JsonObject { ["prefix"] = name, ["handles"] = collected };
                if (token.Length > 0)
                {
                    document["nextPageToken"] = token;
                }

                Terminal.WriteJson(document);
            }
            else if (token.Length > 0)
            {
                Terminal.Note($"more: idres list {name} --page-token {token}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
