using System.Net;
using IdResolution.Core.Composition;

namespace IdResolution.Node.Hosting;

/// <summary>The allowed values of the host's settings: <c>Node</c>, <c>Store:Kind</c> and <c>RateLimits</c> (<c>Federation</c>: <see cref="FederationSettingsValidation"/>).</summary>
internal static class HostingOptionsValidation
{
    public static void Check(NodeOptions options, SettingProblems problems)
    {
        const string section = NodeOptions.Section;
        problems.Check(IPAddress.TryParse(options.BindAddress, out _), $"{section}:BindAddress", options.BindAddress, "an IP address such as 127.0.0.1, 0.0.0.0 or ::");
        problems.Range($"{section}:HttpPort", options.HttpPort, 1, 65_535);
        problems.Range($"{section}:GrpcPort", options.GrpcPort, 1, 65_535);
        problems.Check(options.GrpcPort != options.HttpPort, $"{section}:GrpcPort", options.GrpcPort, $"a port other than {section}:HttpPort");
        problems.Range($"{section}:MaxRequestBytes", options.MaxRequestBytes, 1024, 1024 * 1024 * 1024);
        problems.Check(Enum.IsDefined(options.Role), $"{section}:Role", options.Role.ToString(), "TopLevel, Secondary or Enterprise");
    }

    public static void Check(StoreOptions options, SettingProblems problems) =>
        problems.Check(
            string.Equals(options.Kind, StoreOptions.Embedded, StringComparison.OrdinalIgnoreCase) || string.Equals(options.Kind, StoreOptions.Cassandra, StringComparison.OrdinalIgnoreCase),
            $"{StoreOptions.Section}:Kind", options.Kind, $"{StoreOptions.Embedded} or {StoreOptions.Cassandra}");

    /// <summary>Budgets are checked only while limits are on; <c>RateLimits:Enabled=false</c> ignores them.</summary>
    public static void Check(RateLimitOptions options, SettingProblems problems)
    {
        if (!options.Enabled)
        {
            return;
        }

        Budget(problems, nameof(RateLimitOptions.Resolution), options.Resolution);
        Budget(problems, nameof(RateLimitOptions.Writes), options.Writes);
        Budget(problems, nameof(RateLimitOptions.Peers), options.Peers);
    }

    private static void Budget(SettingProblems problems, string name, TokenBucketBudget budget)
    {
        var key = $"{RateLimitOptions.Section}:{name}";
        problems.Positive($"{key}:PermitsPerSecond", budget.PermitsPerSecond, 1_000_000);
        problems.Range($"{key}:Burst", budget.Burst, 1, 1_000_000);
    }
}
