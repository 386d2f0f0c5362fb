using System.Globalization;
using System.Text;
using IdResolution.Core;
using IdResolution.Core.Composition;
using IdResolution.Core.Federation;
using IdResolution.Core.Records;
using IdResolution.Core.Resolution;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using IdResolution.Node.Budgets;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.HandleApi;
using IdResolution.Node.Security;

namespace IdResolution.Node.Proxy;

/// <summary>
/// Proxy-style resolution (hdl.handle.net): <c>GET /{handle}</c> redirects to the handle's URL value,
/// follows HS_ALIAS values with a 301, or shows the values. Translation only over the core resolver.
/// </summary>
internal static class HandleProxy
{
    /// <summary>Handle.Net's <c>MAX_ALIASES</c>: longer alias chains are refused.</summary>
    internal const int MaxAliasHops = 20;

    /// <summary>First path segments that belong to other surfaces; the catch-all never claims them.</summary>
    private const string ReservedSegments = "^(?!(api|v1|healthz|readyz|metrics|identity|docs|openapi|grpc\\..*|idresolution\\..*)(/|$))";

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static void MapHandleProxy(this WebApplication app) =>
        app.MapGet("/{**handle:regex(" + ReservedSegments + ")}", ServeAsync)
            .WithOrder(int.MaxValue)
            .Spends(RequestBudget.Resolution)
            .ExcludeFromDescription();

    private static async Task ServeAsync(HttpContext context, CoreServices core, TimeProvider time)
    {
        var response = context.Response;
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        response.Headers.XContentTypeOptions = "nosniff";
        var handle = RawHandlePath.Read(context, "/");
        var query = context.Request.Query;
        var showValues = query.ContainsKey("noredirect")
            || string.Equals(query["action"].ToString(), "showvalues", StringComparison.OrdinalIgnoreCase);
        var caller = context.ToCaller();
        var cancel = context.RequestAborted;

        try
        {
            var authoritative = query.ContainsKey("auth");
            var outcome = await core.Resolver.ResolveAsync(caller, handle, ValueFilter.All, new ResolveMode(authoritative), cancel);
            if (!outcome.IsSuccess)
            {
                await FailAsync(context, core, handle, outcome.Code, outcome.Message);
                return;
            }

            var resolution = outcome.Value;
            var now = time.GetUtcNow();
            StaleMarker.Mark(context, resolution.Stale);
            if (resolution.Referral is { } referral)
            {
                await ReferAsync(context, handle, referral);
                return;
            }

            if (!showValues)
            {
                if (FindAlias(resolution.Values) is { } alias)
                {
                    await RedirectToAliasAsync(context, core, caller, resolution, alias, now, cancel);
                    return;
                }

                if (FindUrl(resolution.Values) is { } url)
                {
                    Redirect(context, url.Value, StatusCodes.Status302Found, url.Target + query["urlappend"].ToString(), now);
                    return;
                }
            }

            if (ProxyJson.Wanted(context.Request))
            {
                await ProxyJson.ValuesAsync(context, resolution.Record.Handle, resolution.Values);
                return;
            }

            await ProxyPages.ValuesAsync(context, resolution.Record.Handle, resolution.Values, now);
        }
        catch (StoreUnavailableException)
        {
            await ErrorAsync(context, handle, StatusCodes.Status503ServiceUnavailable, HandleResponseCode.ServerTooBusy, "Service Unavailable", "The store is unavailable; try again shortly.");
        }
    }

    private static async Task FailAsync(HttpContext context, CoreServices core, string handle, HandleResponseCode code, string message)
    {
        switch (code)
        {
            case HandleResponseCode.InvalidHandle:
                await ErrorAsync(context, handle, StatusCodes.Status400BadRequest, code, "Invalid Handle", $"The handle [{handle}] is not valid: {message}");
                return;
            case HandleResponseCode.HandleNotFound:
                if (core.Grammar.TryParse(handle, out var id, out _) && !id.IsPrefixHandle && core.Jurisdiction.Decide(id) == Holding.NotHeld)
                {
                    var prefix = id.Prefix.ToString();
                    await ErrorAsync(context, handle, StatusCodes.Status404NotFound, code, $"Prefix [{prefix}] Not Found", $"Prefix [{prefix}] Not Found: this node does not hold the prefix of [{handle}].");
                    return;
                }

                await ErrorAsync(context, handle, StatusCodes.Status404NotFound, code, "Not Found", $"Handle [{handle}] Not Found.");
                return;
            case HandleResponseCode.ServerTooBusy or HandleResponseCode.ServerBackup or HandleResponseCode.Error:
                await ErrorAsync(context, handle, StatusCodes.Status503ServiceUnavailable, code, "Service Unavailable", message);
                return;
            case HandleResponseCode.RecursionCountTooHigh:
                await ErrorAsync(context, handle, StatusCodes.Status508LoopDetected, code, "Referral Loop", message);
                return;
            default:
                await ErrorAsync(context, handle, StatusCodes.Status500InternalServerError, code, "Error", $"Resolution failed with response code {(int)code}.");
                return;
        }
    }

    /// <summary>
    /// Without recursion (Federation:Recursion), the browser is sent to the proxy of the node that holds the
    /// handle, as the referral's HTTP URL names it; a referral without one cannot be followed by a browser.
    /// </summary>
    private static Task ReferAsync(HttpContext context, string handle, Referral referral)
    {
        if (referral.Node.Endpoints.FirstOrDefault(e => !string.IsNullOrEmpty(e.HttpUrl)) is { HttpUrl: { } http })
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = HeaderSafe(http.TrimEnd('/') + "/" + EscapePath(handle) + context.Request.QueryString.Value);
            return Task.CompletedTask;
        }

        return ErrorAsync(context, handle, StatusCodes.Status502BadGateway, HandleResponseCode.PrefixReferral, "Held Elsewhere",
            $"[{handle}] is held by the node of prefix {referral.Prefix}, which advertises no HTTP address.");
    }

    private static Task ErrorAsync(HttpContext context, string handle, int status, HandleResponseCode code, string title, string message) =>
        ProxyJson.Wanted(context.Request)
            ? ProxyJson.ErrorAsync(context, status, code, handle, message)
            : ProxyPages.ErrorAsync(context, status, title, message);

    /// <summary>
    /// Walks the alias chain on the node before sending the browser one hop on, so a loop or a chain
    /// longer than <see cref="MaxAliasHops"/> is refused here instead of bouncing the browser around.
    /// </summary>
    private static async Task RedirectToAliasAsync(HttpContext context, CoreServices core, Caller caller, Resolution start, Alias first, DateTimeOffset now, CancellationToken cancel)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start.Handle.Key };
        var next = first.Target;
        for (var hop = 1; ; hop++)
        {
            if (hop > MaxAliasHops)
            {
                await ErrorAsync(context, start.Record.Handle, StatusCodes.Status508LoopDetected, HandleResponseCode.RecursionCountTooHigh, "Alias Chain Too Long",
                    $"The aliases from [{start.Record.Handle}] go on for more than {MaxAliasHops} handles; resolution stopped.");
                return;
            }

            var outcome = await core.Resolver.ResolveAsync(caller, next, ValueFilter.All, authoritative: false, cancel);
            if (!outcome.IsSuccess || FindAlias(outcome.Value.Values) is not { } alias)
            {
                // The chain ends here (with values, or with an error the browser will be shown there).
                break;
            }

            if (!seen.Add(outcome.Value.Handle.Key))
            {
                await ErrorAsync(context, start.Record.Handle, StatusCodes.Status508LoopDetected, HandleResponseCode.RecursionCountTooHigh, "Alias Loop",
                    $"The aliases from [{start.Record.Handle}] lead back to [{outcome.Value.Record.Handle}]; resolution stopped.");
                return;
            }

            next = alias.Target;
        }

        Redirect(context, first.Value, StatusCodes.Status301MovedPermanently, "/" + EscapePath(first.Target) + context.Request.QueryString.Value, now);
    }

    private static void Redirect(HttpContext context, HandleValue used, int status, string location, DateTimeOffset now)
    {
        var seconds = used.CacheSeconds(now.ToUnixTimeSeconds());
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.Location = HeaderSafe(location);
        response.Headers.Expires = now.AddSeconds(Math.Min(seconds, int.MaxValue)).ToString("R", CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "max-age=" + seconds.ToString(CultureInfo.InvariantCulture);
    }

    private readonly record struct Alias(HandleValue Value, string Target);

    private readonly record struct Url(HandleValue Value, string Target);

    private static Alias? FindAlias(IReadOnlyList<HandleValue> values)
    {
        foreach (var value in values)
        {
            if (Ascii.EqualsIgnoreCase(value.Type, WellKnownTypes.Alias) && Text(value) is { } target)
            {
                return new Alias(value, target);
            }
        }

        return null;
    }

    /// <summary>The first value of type exactly URL, else the first URL.* subtype, in response order.</summary>
    private static Url? FindUrl(IReadOnlyList<HandleValue> values)
    {
        Url? subtype = null;
        foreach (var value in values)
        {
            if (Ascii.EqualsIgnoreCase(value.Type, WellKnownTypes.Url))
            {
                if (Text(value) is { } exact)
                {
                    return new Url(value, exact);
                }
            }
            else if (subtype is null && ValueDataFormats.HasType(value.Type, WellKnownTypes.Url) && Text(value) is { } sub)
            {
                subtype = new Url(value, sub);
            }
        }

        return subtype;
    }

    private static string? Text(HandleValue value)
    {
        try
        {
            var text = StrictUtf8.GetString(value.Data.Span).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Percent-encodes each segment of a handle for a path, keeping the slashes.</summary>
    private static string EscapePath(string handle) => string.Join('/', handle.Split('/').Select(Uri.EscapeDataString));

    /// <summary>Header values must be visible ASCII: anything else (non-ASCII, controls, spaces) is percent-encoded as UTF-8.</summary>
    private static string HeaderSafe(string location)
    {
        var builder = new StringBuilder(location.Length);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in location.EnumerateRunes())
        {
            if (rune.Value is > 0x20 and < 0x7F)
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var count = rune.EncodeToUtf8(bytes);
            for (var i = 0; i < count; i++)
            {
                builder.Append('%').Append(bytes[i].ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
