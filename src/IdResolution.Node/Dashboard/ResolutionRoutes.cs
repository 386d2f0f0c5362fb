namespace IdResolution.Node.Dashboard;

/// <summary>
/// Which requests are resolutions, by their route as ASP.NET Core reports it in <c>http.route</c>: the
/// resolution latency of the status is the duration of these requests, on every surface (gRPC, JSON, the
/// Handle REST API, the proxy). The Grafana dashboard selects the same routes (deploy/grafana).
/// </summary>
internal static class ResolutionRoutes
{
    public static bool IsResolution(string? route, string? method)
    {
        if (route is null)
        {
            return false;
        }

        if (route.StartsWith("/idresolution.v1.Resolution/", StringComparison.Ordinal))
        {
            return true;
        }

        return method switch
        {
            "GET" => route is "/v1/handles/{**handle}" or "/api/handles/{**handle}" || route.StartsWith("/{**handle", StringComparison.Ordinal),
            "POST" => route == "/v1/handles:resolveBatch",
            _ => false,
        };
    }
}
