using System.Collections.Frozen;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// The page's files, embedded in the node's assembly (Dashboard/Assets): nothing is fetched from anywhere
/// else, so the dashboard works on a machine without internet access. Served with a content security
/// policy that allows only the node's own scripts, styles and connections.
/// </summary>
internal static class DashboardAssets
{
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, (byte[] Content, string Type)> Files = Load();

    public static Task WriteAsync(HttpContext context, string name)
    {
        var response = context.Response;
        if (!Files.TryGetValue(name, out var file))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            return response.WriteAsync("Not Found: the dashboard is at /dashboard", context.RequestAborted);
        }

        response.ContentType = file.Type;
        response.Headers.ContentSecurityPolicy = Policy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";

        // Small and changed with the node: revalidated on every load rather than kept stale after an upgrade.
        response.Headers.CacheControl = "no-cache";
        response.ContentLength = file.Content.Length;
        return response.Body.WriteAsync(file.Content, context.RequestAborted).AsTask();
    }

    private static FrozenDictionary<string, (byte[] Content, string Type)> Load()
    {
        const string prefix = "Dashboard.";
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var name = resource[prefix.Length..];
            files[name] = (copy.ToArray(), Path.GetExtension(name) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            });
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
