namespace IdResolution.Core.Federation;

/// <summary>
/// How a node checks, every second, that its parent answers: a referral lookup of a handle under its own
/// prefix with this suffix, through the node link (same client, credentials and breaker as real calls). The
/// parent counts these apart from real referral lookups, so its figures show what resolvers asked. A parent probes each
/// child the same way, with the child's prefix.
/// </summary>
public static class LinkProbe
{
    public const string Suffix = "idres-link-probe";

    public static string HandleFor(string prefix) => prefix + "/" + Suffix;

    public static bool IsProbe(string? handle) =>
        handle is not null && handle.EndsWith("/" + Suffix, StringComparison.OrdinalIgnoreCase);
}
