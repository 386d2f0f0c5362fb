using IdResolution.Node.Budgets;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// The operators' dashboard on the HTTP port: <c>/dashboard</c> (the page, its script and style, all
/// served from the node itself) and <c>/dashboard/live</c> (the status every second as server-sent
/// events, for administrators). The page shell is public and holds no data; it signs in with the node's
/// accounts and reads everything through the live stream with the token in a header.
/// </summary>
internal static class DashboardEndpoints
{
    public const string PagePath = "/dashboard";
    public const string LivePath = "/dashboard/live";

    public static void MapDashboard(this WebApplication app)
    {
        app.MapGet(PagePath, context => DashboardAssets.WriteAsync(context, "index.html")).Spends(RequestBudget.Resolution).ExcludeFromDescription();
        app.MapGet(LivePath, LiveStream.RunAsync).Spends(RequestBudget.Writes).ExcludeFromDescription();
        app.MapGet(PagePath + "/{**file}", (HttpContext context, string file) => DashboardAssets.WriteAsync(context, file))
            .Spends(RequestBudget.Resolution).ExcludeFromDescription();
    }
}
