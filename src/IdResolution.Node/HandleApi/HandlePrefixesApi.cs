using System.Globalization;
using IdResolution.Core;
using IdResolution.Core.Composition;
using IdResolution.Node.Budgets;
using IdResolution.Node.Security;

namespace IdResolution.Node.HandleApi;

/// <summary>
/// Handle.Net's prefix endpoints (its PrefixesServlet: list, home and unhome naming-authority prefixes) over the
/// core's prefix operations: <c>GET /api/prefixes</c> lists the prefixes this node holds, <c>POST /api/prefixes/{p}</c>
/// homes one (<see cref="Core.Administration.PrefixAuthority.HomeAsync"/>), <c>DELETE /api/prefixes/{p}</c> unhomes it
/// (<see cref="Core.Administration.PrefixAuthority.RemoveAsync"/>). All three are for the node's administrators.
/// Prefixes are written as their prefix handles (<c>0.NA/88.709.911</c>), as Handle.Net lists them, and taken in either spelling.
/// </summary>
internal static class HandlePrefixesApi
{
    private const string PrefixPath = "/api/prefixes/";

    public static void MapHandlePrefixes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/prefixes", ListAsync).Spends(RequestBudget.Writes);
        app.MapPost("/api/prefixes/{**prefix}", HomeAsync).Spends(RequestBudget.Writes);
        app.MapDelete("/api/prefixes/{**prefix}", UnhomeAsync).Spends(RequestBudget.Writes);

        // As Handle.Net: one prefix is homed or unhomed, not read.
        app.MapGet("/api/prefixes/{**prefix}", NotAllowedAsync).Spends(RequestBudget.Writes).ExcludeFromDescription();
    }

    /// <summary>
    /// The node's own prefix first, then every prefix handle it stores (allocated, homed, admitted children's), in
    /// listing order. <c>page</c> (zero-based) and <c>pageSize</c> apply together, as on <c>/api/handles</c>.
    /// </summary>
    private static async Task ListAsync(HttpContext context, CoreServices core)
    {
        var query = context.Request.Query;
        if (!HandleRestQuery.TryCount(query, "page", out var page) || !HandleRestQuery.TryCount(query, "pageSize", out var pageSize))
        {
            await HandleRestResponse.ErrorAsync(context, HandleResponseCode.ProtocolError, "page and pageSize are whole numbers, 0 or more", null);
            return;
        }

        var caller = context.ToCaller();
        var listed = await HandleRestApi.Guard(context, () => core.Prefixes.ListAsync(caller, context.RequestAborted));
        if (!listed.IsSuccess)
        {
            await HandleRestResponse.ErrorAsync(context, listed.Code, listed.Message, null);
            return;
        }

        var own = core.Options.Security.NodePrefix;
        var prefixes = listed.Value.Select(p => p.Prefix).Where(p => !core.Grammar.SameHandle(NaHandle(p), NaHandle(own))).Prepend(own).Select(NaHandle).ToList();
        var shown = page is not null && pageSize is not null
            ? prefixes.Skip((int)Math.Min((long)page.Value * pageSize.Value, int.MaxValue)).Take(pageSize.Value)
            : prefixes;
        await HandleRestResponse.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteNumber("responseCode", (int)HandleResponseCode.Success);
            writer.WriteString("totalCount", prefixes.Count.ToString(CultureInfo.InvariantCulture));
            if (page is not null && pageSize is not null)
            {
                writer.WriteNumber("page", page.Value);
                writer.WriteNumber("pageSize", pageSize.Value);
            }

            writer.WriteStartArray("prefixes");
            foreach (var prefix in shown)
            {
                writer.WriteStringValue(prefix);
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>Homes a prefix: 201 when this made it held, 200 when it was held already (nothing changes), as Handle.Net's home is repeatable.</summary>
    private static async Task HomeAsync(HttpContext context, CoreServices core)
    {
        var prefix = RawHandlePath.Read(context, PrefixPath);
        var caller = context.ToCaller();
        if (await HandleRestApi.RefuseAnonymousAsync(context, caller, NaHandle(prefix)) || await RefuseEmptyAsync(context, prefix, "homing"))
        {
            return;
        }

        var (owner, refusal) = await HandleRestQuery.ReadOwnerAsync(context);
        if (refusal is { } bad)
        {
            await HandleRestResponse.ErrorAsync(context, bad.Code, bad.Message, NaHandle(prefix));
            return;
        }

        var homed = await HandleRestApi.Guard(context, () => core.Prefixes.HomeAsync(caller, prefix, owner, context.RequestAborted));
        await ReplyAsync(context, homed.IsSuccess ? Outcome<bool>.Ok(homed.Value.Created) : homed.Cast<bool>(), prefix);
    }

    /// <summary>Unhomes a prefix: its prefix handle is removed, refused while handles remain under it.</summary>
    private static async Task UnhomeAsync(HttpContext context, CoreServices core)
    {
        var prefix = RawHandlePath.Read(context, PrefixPath);
        var caller = context.ToCaller();
        if (await HandleRestApi.RefuseAnonymousAsync(context, caller, NaHandle(prefix)) || await RefuseEmptyAsync(context, prefix, "unhoming"))
        {
            return;
        }

        var removed = await HandleRestApi.Guard(context, () => core.Prefixes.RemoveAsync(caller, prefix, context.RequestAborted));
        await ReplyAsync(context, removed.IsSuccess ? Outcome<bool>.Ok(false) : removed.Cast<bool>(), prefix);
    }

    private static Task NotAllowedAsync(HttpContext context)
    {
        context.Response.Headers.Allow = "POST, DELETE";
        return HandleRestResponse.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, writer =>
        {
            writer.WriteNumber("responseCode", (int)HandleResponseCode.ProtocolError);
            writer.WriteString("message", "a prefix is homed with POST and unhomed with DELETE; GET /api/prefixes lists them");
        });
    }

    private static async Task<bool> RefuseEmptyAsync(HttpContext context, string prefix, string what)
    {
        if (prefix.Length > 0)
        {
            return false;
        }

        await HandleRestResponse.ErrorAsync(context, HandleResponseCode.ProtocolError, $"no prefix was named in the {what} request: /api/prefixes/{{prefix}}", null);
        return true;
    }

    private static Task ReplyAsync(HttpContext context, Outcome<bool> outcome, string prefix)
    {
        if (!outcome.IsSuccess)
        {
            return HandleRestResponse.ErrorAsync(context, outcome.Code, outcome.Message, NaHandle(prefix));
        }

        return HandleRestResponse.WriteAsync(context, HandleRestStatus.ToHttpStatus(HandleResponseCode.Success, outcome.Value, resolution: false, context.Request.IsHttps), writer =>
        {
            writer.WriteNumber("responseCode", (int)HandleResponseCode.Success);
            writer.WriteString("handle", NaHandle(prefix));
        });
    }

    /// <summary>The prefix handle of <paramref name="prefix"/>, given bare or as a prefix handle already.</summary>
    private static string NaHandle(string prefix) =>
        prefix.StartsWith(Core.Identifiers.HandleId.NamingAuthorityPrefix + "/", StringComparison.OrdinalIgnoreCase)
            ? prefix
            : Core.Identifiers.HandleId.NamingAuthorityPrefix + "/" + prefix;
}
