using IdResolution.Core.Caching;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Storage;

namespace IdResolution.Core.Composition;

/// <summary>
/// The allowed ranges of the core's settings, checked together at start because some depend on
/// others (the node's prefix must fit the prefix length limit, the default page size the maximum).
/// </summary>
public static class CoreOptionsValidation
{
    public static void Check(CoreOptions options, SettingProblems problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        var prefixBytes = Identifiers(options, problems);
        Records(options.Records, problems);
        Cache(options.Cache, problems);
        Registry(options.Registry, problems);
        Security(options, prefixBytes, problems);
        StoreStall(options.StoreStall, problems);
    }

    /// <summary>Checks the identifier limits; returns the prefix limit the node's prefix is judged against.</summary>
    private static int Identifiers(CoreOptions options, SettingProblems problems)
    {
        const string section = CoreOptions.IdentifiersSection;
        var identifiers = options.Identifiers;
        var prefixBytes = problems.Limit($"{section}:MaxPrefixBytes", identifiers.MaxPrefixBytes, 1, 255);

        // A prefix handle, 0.NA/<prefix>, must fit too.
        var shortest = Math.Clamp(identifiers.MaxPrefixBytes, 1, prefixBytes) + HandleId.NamingAuthorityPrefix.Length + 1;
        problems.Check(identifiers.MaxHandleBytes >= shortest && identifiers.MaxHandleBytes <= 65_535, $"{section}:MaxHandleBytes", identifiers.MaxHandleBytes,
            $"{shortest} to 65535 (at least {section}:MaxPrefixBytes + 5, so that 0.NA/<prefix> fits)");
        return prefixBytes;
    }

    private static void Records(RecordLimits records, SettingProblems problems)
    {
        const string section = CoreOptions.RecordsSection;
        problems.Range($"{section}:MaxValuesPerRecord", records.MaxValuesPerRecord, 1, 100_000);
        var recordBytes = problems.Limit($"{section}:MaxRecordBytes", records.MaxRecordBytes, 1024, 64 * 1024 * 1024);
        problems.Check(records.MaxValueDataBytes >= 1 && records.MaxValueDataBytes <= recordBytes, $"{section}:MaxValueDataBytes", records.MaxValueDataBytes,
            $"1 to {section}:MaxRecordBytes ({recordBytes})");
        problems.Range($"{section}:MaxTypeBytes", records.MaxTypeBytes, 1, 65_535);
        problems.Range($"{section}:MaxReferencesPerValue", records.MaxReferencesPerValue, 0, 100_000);
    }

    private static void Cache(CacheOptions cache, SettingProblems problems)
    {
        const string section = CoreOptions.CacheSection;
        problems.Range($"{section}:MaxTtlSeconds", cache.MaxTtlSeconds, 0, 604_800);
        problems.Range($"{section}:NotFoundTtlSeconds", cache.NotFoundTtlSeconds, 0, 86_400);
        problems.Range($"{section}:LocalMaxTtlSeconds", cache.LocalMaxTtlSeconds, 0, 86_400);
        problems.Range($"{section}:MaxEntries", cache.MaxEntries, 1, 100_000_000);
    }

    private static void Registry(RegistryOptions registry, SettingProblems problems)
    {
        const string section = CoreOptions.RegistrySection;
        problems.Range($"{section}:MaxWriteBatch", registry.MaxWriteBatch, 1, 100_000);
        problems.Range($"{section}:MaxResolveBatch", registry.MaxResolveBatch, 1, 100_000);
        var pageSize = problems.Limit($"{section}:MaxPageSize", registry.MaxPageSize, 1, 100_000);
        problems.Check(registry.DefaultPageSize >= 1 && registry.DefaultPageSize <= pageSize, $"{section}:DefaultPageSize", registry.DefaultPageSize,
            $"1 to {section}:MaxPageSize ({pageSize})");
        problems.Range($"{section}:MaxConflictRetries", registry.MaxConflictRetries, 0, 1000);
    }

    private static void Security(CoreOptions options, int prefixBytes, SettingProblems problems)
    {
        const string section = CoreOptions.SecuritySection;
        var security = options.Security;
        var grammar = new HandleGrammar(new HandleSyntaxOptions { MaxPrefixBytes = prefixBytes, MaxHandleBytes = int.MaxValue });
        var prefix = security.NodePrefix;
        problems.Check(
            grammar.TryParsePrefix(prefix, out _, out _) && !prefix.StartsWith(HandleId.NamingAuthorityPrefix + "/", StringComparison.OrdinalIgnoreCase),
            $"{section}:NodePrefix",
            prefix,
            $"a prefix such as 88.709: dot-separated segments of ASCII letters, digits, '-' and '_', at most {CoreOptions.IdentifiersSection}:MaxPrefixBytes ({prefixBytes}) bytes");

        // Tests and development use little work; production should keep OWASP's 600,000.
        problems.Range($"{section}:PasswordIterations", security.PasswordIterations, 1000, 100_000_000);
    }

    private static void StoreStall(StoreStallOptions stall, SettingProblems problems)
    {
        const string section = CoreOptions.StoreSection;
        problems.Range($"{section}:StallMilliseconds", stall.StallMilliseconds, 0, 60_000);
        problems.Range($"{section}:StallEvery", stall.StallEvery, 1, int.MaxValue);
    }
}
