using System.CommandLine;
using System.Text.Json.Nodes;
using Grpc.Core;
using IdResolution.Cli.Connection;
using IdResolution.Cli.Output;
using IdResolution.Contracts.V1;
using Spectre.Console;

namespace IdResolution.Cli.Commands;

/// <summary><c>idres resolve HANDLE...</c>: one handle with Resolve, several with ResolveBatch (per handle when a flag only Resolve takes is set).</summary>
internal static class ResolveCommand
{
    public static Command Create()
    {
        var handles = new Argument<string[]>("handle") { Description = "One or more handles", Arity = ArgumentArity.OneOrMore };
        var types = new Option<string[]>("--type") { Description = "Only values of this type (repeatable; a type ending in '.' also matches its subtypes)", AllowMultipleArgumentsPerToken = false };
        var indexes = new Option<uint[]>("--index") { Description = "Only the value at this index (repeatable; OR'ed with --type)" };
        var noRecursion = new Option<bool>("--no-recursion") { Description = "For a handle of another node, show the referral (code 303) instead of resolving it there" };
        var authoritative = new Option<bool>("--authoritative") { Description = "Read the store of record, skipping caches" };
        var command = new Command("resolve", "Resolve handles") { handles, types, indexes, noRecursion, authoritative };
        Invocation.Bind(command, async run =>
        {
            var names = run.Get(handles);
            var typeFilter = run.Get(types) ?? [];
            var indexFilter = run.Get(indexes) ?? [];
            var results = new List<ResolveResult>();
            Referral? referral = null;
            if (names.Length == 1)
            {
                var request = Request(names[0], typeFilter, indexFilter, run.Get(noRecursion), run.Get(authoritative));
                var reply = await run.Node.Resolution.ResolveAsync(request, run.Call());
                results.Add(ToResult(reply));
                referral = reply.Referral;
            }
            else if (!run.Get(noRecursion) && !run.Get(authoritative) && names.Length <= 1000)
            {
                var request = new ResolveBatchRequest();
                request.Handles.Add(names);
                request.Type.Add(typeFilter);
                request.Index.Add(indexFilter);
                results.AddRange((await run.Node.Resolution.ResolveBatchAsync(request, run.Call())).Results);
            }
            else
            {
                foreach (var name in names)
                {
                    results.Add(await OneAsync(run, Request(name, typeFilter, indexFilter, run.Get(noRecursion), run.Get(authoritative))));
                }
            }

            Write(run, results, referral);
            var failed = results.Count(result => result.ResponseCode is not (1 or 303));
            return failed == 0 ? ExitCodes.Success
                : results.Count == 1 ? ExitCodes.ForResponseCode(results[0].ResponseCode)
                : ExitCodes.PartlyFailed;
        });
        return command;
    }

    private static ResolveRequest Request(string handle, string[] types, uint[] indexes, bool noRecursion, bool authoritative)
    {
        var request = new ResolveRequest { Handle = handle, NoRecursion = noRecursion, Authoritative = authoritative };
        request.Type.Add(types);
        request.Index.Add(indexes);
        return request;
    }

    private static ResolveResult ToResult(ResolveResponse reply)
    {
        var result = new ResolveResult { Handle = reply.Handle, ResponseCode = reply.ResponseCode };
        result.Values.Add(reply.Values);
        return result;
    }

    /// <summary>One handle of several: its error becomes its result, so the others still get theirs.</summary>
    private static async Task<ResolveResult> OneAsync(Invocation run, ResolveRequest request)
    {
        try
        {
            return ToResult(await run.Node.Resolution.ResolveAsync(request, run.Call()));
        }
        catch (RpcException error) when (RpcErrors.ResponseCode(error) != 0)
        {
            return new ResolveResult { Handle = request.Handle, ResponseCode = RpcErrors.ResponseCode(error), Message = error.Status.Detail };
        }
    }

    private static void Write(Invocation run, List<ResolveResult> results, Referral? referral)
    {
        if (run.Terminal.Json)
        {
            var array = ProtoJson.Array(results);
            if (referral is not null && array.Count == 1)
            {
                array[0]!["referral"] = ProtoJson.Node(referral);
            }

            Terminal.WriteJson(new JsonObject { ["results"] = array });
            return;
        }

        foreach (var result in results)
        {
            if (result.ResponseCode == 1)
            {
                Terminal.Line(result.Handle);
                run.Terminal.Out.Write(ValueText.Table(result.Values));
            }
            else if (result.ResponseCode == 303 && referral is not null)
            {
                Terminal.Line($"{result.Handle}: referral to the node of {referral.Prefix} ({string.Join(", ", referral.Sites.SelectMany(site => site.Attributes).Where(a => a.Name == "grpc").Select(a => a.Value))})");
            }
            else
            {
                Terminal.Line($"{result.Handle}: {(string.IsNullOrEmpty(result.Message) ? "no values" : result.Message)} (Handle code {result.ResponseCode})");
            }
        }
    }
}
