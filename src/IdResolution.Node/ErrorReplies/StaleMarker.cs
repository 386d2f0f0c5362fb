namespace IdResolution.Node.ErrorReplies;

/// <summary>
/// Marks an answer served from the stale store (its node could not be reached) with the response header
/// <c>Idres-Stale: 1</c> — an HTTP header on the JSON, Handle REST and proxy surfaces, a gRPC response header
/// on gRPC — so a client can tell, and count, such answers.
/// </summary>
internal static class StaleMarker
{
    public const string Header = "Idres-Stale";

    public static void Mark(HttpContext context, bool stale)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (stale && !context.Response.HasStarted)
        {
            context.Response.Headers[Header] = "1";
        }
    }
}
