using Microsoft.AspNetCore.Http.Features;

namespace IdResolution.Node.HandleApi;

/// <summary>
/// The handle named by a request path, read from the raw request target and percent-decoded once as
/// UTF-8, so that an encoded slash (<c>88.709.911%2FABC</c>) is a slash like any other. The routed path
/// cannot be used as is: the server keeps <c>%2F</c> encoded in it. Shared by every surface that takes a
/// handle in its path (<c>/api/handles/{h}</c>, the proxy's <c>/{h}</c>).
/// </summary>
internal static class RawHandlePath
{
    /// <summary>The part of the path after <paramref name="pathPrefix"/> (which ends with '/'), decoded; empty when there is none.</summary>
    public static string Read(HttpContext context, string pathPrefix)
    {
        ArgumentNullException.ThrowIfNull(context);
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is not null && raw.StartsWith(pathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var end = raw.IndexOf('?', StringComparison.Ordinal);
            return Uri.UnescapeDataString(raw[pathPrefix.Length..(end < 0 ? raw.Length : end)]);
        }

        // Hosts without the raw target (or with an absolute-form target) give the path decoded except for "%2F", as Kestrel does.
        var path = context.Request.Path.Value ?? string.Empty;
        return path.StartsWith(pathPrefix, StringComparison.OrdinalIgnoreCase)
            ? path[pathPrefix.Length..].Replace("%2F", "/", StringComparison.OrdinalIgnoreCase)
            : string.Empty;
    }
}
