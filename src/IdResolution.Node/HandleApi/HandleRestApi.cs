using System.Globalization;
using IdResolution.Core;
using IdResolution.Core.Composition;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Resolution;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using IdResolution.Node.Budgets;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.Security;

namespace IdResolution.Node.HandleApi;

/// <summary>
/// The Handle.Net-compatible JSON REST API (<c>/api/handles</c>; Handle technical manual ch. 14):
/// translation only. Resolution goes through the core <see cref="Resolver"/>, every write and
/// listing through the core <see cref="Registrar"/> with the request's caller, so the node's one
/// authorisation policy decides. A write is refused before its body is read when the caller is
/// anonymous or the body is not declared JSON; a body the node cannot read stores nothing.
/// </summary>
internal static class HandleRestApi
{
    private const string HandlesPath = "/api/handles/";

    public static void MapHandleRestApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/handles", ListAsync).Spends(RequestBudget.Writes);
        app.MapGet("/api/handles/{**handle}", GetAsync).Spends(RequestBudget.Resolution);
        app.MapPut("/api/handles/{**handle}", PutAsync).Spends(RequestBudget.Writes);
        app.MapDelete("/api/handles/{**handle}", DeleteAsync).Spends(RequestBudget.Writes);
        app.MapHandlePrefixes();
        app.Map("/api/{**rest}", UnknownAsync);
        app.Map("/api", UnknownAsync);
    }

    private static Task UnknownAsync(HttpContext context) =>
        HandleRestResponse.WriteAsync(context, StatusCodes.Status404NotFound, writer => writer.WriteNumber("responseCode", (int)HandleResponseCode.ProtocolError));

    private static async Task GetAsync(HttpContext context, Resolver resolver, Registrar registrar)
    {
        var handle = RawHandlePath.Read(context, HandlesPath);
        if (handle.Length == 0)
        {
            await ListAsync(context, registrar);
            return;
        }

        var query = context.Request.Query;
        if (!HandleRestQuery.TryIndexes(query, out var indexes, out var various) || various
            || !HandleRestQuery.TryBool(query, "auth", false, out var authoritative)
            || !HandleRestQuery.TryBool(query, "noRecursion", false, out var noRecursion)
            || !HandleRestQuery.TryBool(query, "publicOnly", context.User.Identity?.IsAuthenticated != true, out var publicOnly))
        {
            await HandleRestResponse.ErrorAsync(context, HandleResponseCode.ProtocolError, "a query parameter has a value it cannot have", handle);
            return;
        }

        var caller = context.ToCaller();
        if (publicOnly && caller.IsAuthenticated)
        {
            caller = Caller.Anonymous(caller.ClientAddress);
        }

        var types = query["type"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToArray();
        var filter = types.Length == 0 && indexes.Count == 0 ? ValueFilter.All : new ValueFilter(types, indexes);
        var outcome = await Guard(context, () => resolver.ResolveAsync(caller, handle, filter, new ResolveMode(authoritative, noRecursion), context.RequestAborted));
        if (!outcome.IsSuccess)
        {
            await HandleRestResponse.ErrorAsync(context, outcome.Code, outcome.Message, handle, resolution: true);
            return;
        }

        var resolution = outcome.Value;
        StaleMarker.Mark(context, resolution.Stale);
        await HandleRestResponse.WriteAsync(context, HandleRestStatus.ToHttpStatus(resolution.Code, false, resolution: true, context.Request.IsHttps), writer =>
        {
            writer.WriteNumber("responseCode", (int)resolution.Code);
            writer.WriteString("handle", resolution.Record.Handle);
            if (resolution.Referral is { } referral)
            {
                writer.WritePropertyName("referral");
                HandleJson.WriteReferral(writer, referral);
            }
            else
            {
                writer.WritePropertyName("values");
                HandleJson.WriteValues(writer, resolution.Values);
            }
        });
    }

    private static async Task PutAsync(HttpContext context, Registrar registrar, CoreServices core)
    {
        var handle = RawHandlePath.Read(context, HandlesPath);
        var caller = context.ToCaller();
        if (await RefuseAnonymousAsync(context, caller, handle))
        {
            return;
        }

        var query = context.Request.Query;
        if (!HandleRestQuery.TryIndexes(query, out var indexes, out var various)
            || !HandleRestQuery.TryBool(query, "overwrite", true, out var overwrite)
            || !HandleRestQuery.TryBool(query, "mintNewSuffix", false, out var mint))
        {
            await HandleRestResponse.ErrorAsync(context, HandleResponseCode.ProtocolError, "a query parameter has a value it cannot have", handle);
            return;
        }

        if (!HandleRestQuery.IsJsonContent(context.Request.ContentType))
        {
            var given = string.IsNullOrEmpty(context.Request.ContentType) ? "no content type" : $"content type '{context.Request.ContentType}'";
            await HandleRestResponse.ErrorAsync(context, HandleResponseCode.ProtocolError,
                $"the body must be JSON sent with Content-Type: application/json; this request has {given}", handle);
            return;
        }

        var body = await HandleRestQuery.ReadValuesAsync(context);
        if (body.Refusal is { } refusal)
        {
            await HandleRestResponse.ErrorAsync(context, refusal.Code, refusal.Message, handle);
            return;
        }

        if (body.Handle is { } named && !core.Grammar.SameHandle(named, handle))
        {
            // A client that built the wrong URL would otherwise write an identifier it did not mean.
            await HandleRestResponse.ErrorAsync(context, HandleResponseCode.ProtocolError,
                $"the body is for handle '{named}' but the URL names '{handle}'; nothing was stored", handle);
            return;
        }

        var values = body.Values;
        var partial = various || indexes.Count > 0;
        if (partial && !various && !SameIndexes(indexes, values))
        {
            await HandleRestResponse.ErrorAsync(context, HandleResponseCode.ProtocolError, "the index parameters and the indexes of the values in the body differ", handle);
            return;
        }

        Outcome<WriteReceipt> outcome;
        if (mint)
        {
            outcome = await MintAsync(context, registrar, caller, handle, values);
        }
        else if (partial)
        {
            outcome = await Guard(context, () => overwrite
                ? registrar.UpdateAsync(caller, new UpdateRequest(handle, values, []), context.RequestAborted)
                : registrar.AddValuesAsync(caller, handle, values, context.RequestAborted));
        }
        else
        {
            outcome = await Guard(context, () => registrar.CreateAsync(caller, new CreateRequest(handle, values, overwrite), context.RequestAborted));
            if (!overwrite && outcome.IsSuccess && !outcome.Value.Created)
            {
                // The core takes a create repeated with the same values as a retry and changes nothing;
                // Handle.Net answers any create without overwrite on an existing handle with 409.
                outcome = Outcome<WriteReceipt>.Fail(HandleResponseCode.HandleAlreadyExists, $"handle '{outcome.Value.Handle.Text}' already exists; set overwrite=true to replace it");
            }
        }

        await ReplyAsync(context, outcome, handle);
    }

    private static async Task DeleteAsync(HttpContext context, Registrar registrar)
    {
        var handle = RawHandlePath.Read(context, HandlesPath);
        var caller = context.ToCaller();
        if (await RefuseAnonymousAsync(context, caller, handle))
        {
            return;
        }

        if (!HandleRestQuery.TryIndexes(context.Request.Query, out var indexes, out var various) || various)
        {
            await HandleRestResponse.ErrorAsync(context, HandleResponseCode.ProtocolError, "index must be a number from 1 to 2147483647, given once per value", handle);
            return;
        }

        var outcome = await Guard(context, () => indexes.Count == 0
            ? registrar.DeleteAsync(caller, handle, context.RequestAborted)
            : registrar.RemoveValuesAsync(caller, handle, indexes, context.RequestAborted));
        await ReplyAsync(context, outcome, handle);
    }

    /// <summary>
    /// Lists a prefix. <c>page</c> is zero-based and applies only together with <c>pageSize</c>; the page
    /// asked for is answered whatever its size (the store is read in pages of <c>Registry:MaxPageSize</c>
    /// and the answer streamed); <c>page=0&amp;pageSize=0</c> gives only the count; <c>pageSize=0</c>
    /// alone lists every handle. <c>totalCount</c> is the store's count for the prefix, one read.
    /// </summary>
    private static async Task ListAsync(HttpContext context, Registrar registrar)
    {
        var query = context.Request.Query;
        var prefix = query["prefix"].ToString();
        if (prefix.Length == 0 && !query.ContainsKey("prefix") && context.Request.Path.Value?.EndsWith('/') == true)
        {
            // GET /api/handles/ (routing ignores the trailing slash) names an empty handle, not a listing.
            await HandleRestResponse.ErrorAsync(context, HandleResponseCode.InvalidHandle,
                "no handle was named: resolve with GET /api/handles/{handle}, list a prefix with GET /api/handles?prefix=P", null);
            return;
        }

        if (prefix.Length == 0 || !HandleRestQuery.TryCount(query, "page", out var page) || !HandleRestQuery.TryCount(query, "pageSize", out var pageSize))
        {
            await HandleRestResponse.ErrorAsync(context, HandleResponseCode.ProtocolError, "list handles with ?prefix=P and optionally page and pageSize (whole numbers, 0 or more)", null);
            return;
        }

        var caller = context.ToCaller();
        var cancellation = context.RequestAborted;
        var total = await Guard(context, () => registrar.CountAsync(caller, prefix, cancellation));
        if (!total.IsSuccess)
        {
            await HandleRestResponse.ErrorAsync(context, total.Code, total.Message, null);
            return;
        }

        var paged = page is not null && pageSize is not null;
        var skip = paged ? (long)page!.Value * pageSize!.Value : 0;
        var take = !paged ? long.MaxValue : skip < total.Value ? pageSize!.Value : 0;
        var walk = new HandleListingWalk(registrar, caller, prefix, skip, take);

        // The first store page is read before the answer starts, so a store that cannot answer still gets its status.
        var first = await Guard(context, () => walk.NextAsync(cancellation));
        if (!first.IsSuccess)
        {
            await HandleRestResponse.ErrorAsync(context, first.Code, first.Message, null);
            return;
        }

        await HandleRestResponse.StreamAsync(context, async (writer, flush) =>
        {
            writer.WriteNumber("responseCode", (int)HandleResponseCode.Success);
            writer.WriteString("prefix", prefix);
            writer.WriteString("totalCount", total.Value.ToString(CultureInfo.InvariantCulture));
            if (page is { } pageNumber)
            {
                writer.WriteNumber("page", pageNumber);
            }

            if (pageSize is { } size)
            {
                writer.WriteNumber("pageSize", size);
            }

            writer.WriteStartArray("handles");
            for (var handles = first.Value; handles.Count > 0;)
            {
                foreach (var item in handles)
                {
                    writer.WriteStringValue(item);
                }

                await flush();
                Outcome<IReadOnlyList<string>> next;
                try
                {
                    next = await walk.NextAsync(cancellation);
                }
                catch (StoreUnavailableException unavailable)
                {
                    // Not through Guard: its Retry-After header cannot be set once the answer has started.
                    next = Outcome<IReadOnlyList<string>>.Fail(HandleResponseCode.ServerTooBusy, unavailable.Message);
                }

                if (!next.IsSuccess)
                {
                    // The 200 is gone already; a cut connection is the only way left to say the list is not whole.
                    var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HandleRestApi));
                    HandleApiLog.ListingInterrupted(logger, prefix, walk.Taken, (int)next.Code, next.Message);
                    context.Abort();
                    return;
                }

                handles = next.Value;
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>Creates <paramref name="handle"/> followed by a new random suffix; a clash (however unlikely) draws again.</summary>
    private static async Task<Outcome<WriteReceipt>> MintAsync(HttpContext context, Registrar registrar, Caller caller, string handle, IReadOnlyList<HandleValue> values)
    {
        var outcome = Outcome<WriteReceipt>.Fail(HandleResponseCode.Error, "no suffix could be minted");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var minted = handle + Guid.NewGuid().ToString("D", CultureInfo.InvariantCulture);
            outcome = await Guard(context, () => registrar.CreateAsync(caller, new CreateRequest(minted, values, Overwrite: false), context.RequestAborted));
            if (outcome.Code != HandleResponseCode.HandleAlreadyExists)
            {
                break;
            }
        }

        return outcome;
    }

    private static Task ReplyAsync(HttpContext context, Outcome<WriteReceipt> outcome, string handle)
    {
        if (!outcome.IsSuccess)
        {
            return HandleRestResponse.ErrorAsync(context, outcome.Code, outcome.Message, handle);
        }

        var receipt = outcome.Value;
        return HandleRestResponse.WriteAsync(context, HandleRestStatus.ToHttpStatus(HandleResponseCode.Success, receipt.Created, resolution: false, context.Request.IsHttps), writer =>
        {
            writer.WriteNumber("responseCode", (int)HandleResponseCode.Success);
            writer.WriteString("handle", receipt.Record?.Handle ?? receipt.Handle.Text);
        });
    }

    /// <summary>
    /// Authentication ran before the endpoint; an anonymous write is refused here, before its body or
    /// query is looked at, so a stranger's request costs the node no parsing.
    /// </summary>
    internal static async Task<bool> RefuseAnonymousAsync(HttpContext context, Caller caller, string handle)
    {
        if (AuthorizationPolicy.RequireAuthenticated(caller, "writing") is not { } anonymous)
        {
            return false;
        }

        await HandleRestResponse.ErrorAsync(context, anonymous.Code, anonymous.Message, handle);
        return true;
    }

    private static bool SameIndexes(IReadOnlyList<int> indexes, IReadOnlyList<HandleValue> values)
    {
        var requested = indexes.ToHashSet();
        var given = values.Select(v => v.Index).ToHashSet();
        return requested.SetEquals(given);
    }

    /// <summary>A store that cannot answer right now is SERVER_TOO_BUSY (503), not a failure of the node.</summary>
    internal static async Task<Outcome<T>> Guard<T>(HttpContext context, Func<ValueTask<Outcome<T>>> call)
    {
        try
        {
            return await call();
        }
        catch (DiskFullException full)
        {
            // Code 2 with the reason, as on the other surfaces; the status table answers it 503 (see HandleRestStatus).
            context.Response.Headers.RetryAfter = "1";
            return Outcome<T>.Fail(HandleResponseCode.Error, full.Message);
        }
        catch (StoreUnavailableException)
        {
            context.Response.Headers.RetryAfter = "1";
            return Outcome<T>.Fail(HandleResponseCode.ServerTooBusy, "the store is unavailable; retry later");
        }
    }
}
