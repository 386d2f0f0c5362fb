using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;

namespace IdResolution.Core.Composition;

/// <summary>
/// The allowed ranges of the core's settings, checked together at start because some depend on
/// others (the node's prefix must fit the prefix length limit, the default page size the maximum).
/// A setting that depends on one out of range is judged against that one's widest value instead, so
/// only the setting at fault is named.
/// </summary>
public static class CoreOptionsValidation
{
    private const int LongestPrefix = 255;

    public static void Check(CoreOptions options, SettingProblems problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        Identifiers(options, problems);
        Records(options.Records, problems);
        Cache(options, problems);
        Registry(options, problems);
        Security(options, problems);
    }

    private static void Identifiers(CoreOptions options, SettingProblems problems)
    {
        const string section = CoreOptions.IdentifiersSection;
        var identifiers = options.Identifiers;
        problems.Range($"{section}:MaxPrefixBytes", identifiers.MaxPrefixBytes, 1, LongestPrefix);

        // A prefix handle, 0.NA/<prefix>, must fit too.
        var shortest = Math.Clamp(identifiers.MaxPrefixBytes, 1, LongestPrefix) + HandleId.NamingAuthorityPrefix.Length + 1;
        problems.Check(identifiers.MaxHandleBytes >= shortest && identifiers.MaxHandleBytes <= 65_535, $"{section}:MaxHandleBytes", identifiers.MaxHandleBytes,
            $"{shortest} to 65535 (at least {section}:MaxPrefixBytes + 5, so that 0.NA/<prefix> fits)");
    }

    private static void Records(RecordLimits records, SettingProblems problems)
    {
        const string section = CoreOptions.RecordsSection;
        problems.Range($"{section}:MaxValuesPerRecord", records.MaxValuesPerRecord, 1, 100_000);
        const int largestRecord = 64 * 1024 * 1024;
        problems.Range($"{section}:MaxRecordBytes", records.MaxRecordBytes, 1024, largestRecord);
        var recordBytes = records.MaxRecordBytes is >= 1024 and <= largestRecord ? records.MaxRecordBytes : largestRecord;
        problems.Check(records.MaxValueDataBytes >= 1 && records.MaxValueDataBytes <= recordBytes, $"{section}:MaxValueDataBytes", records.MaxValueDataBytes,
            $"1 to {section}:MaxRecordBytes ({recordBytes})");
        problems.Range($"{section}:MaxTypeBytes", records.MaxTypeBytes, 1, 65_535);
        problems.Range($"{section}:MaxReferencesPerValue", records.MaxReferencesPerValue, 0, 100_000);
    }

    private static void Cache(CoreOptions options, SettingProblems problems)
    {
        const string section = CoreOptions.CacheSection;
        var cache = options.Cache;
        problems.Range($"{section}:MaxTtlSeconds", cache.MaxTtlSeconds, 0, 604_800);
        problems.Range($"{section}:NotFoundTtlSeconds", cache.NotFoundTtlSeconds, 0, 86_400);
        problems.Range($"{section}:LocalMaxTtlSeconds", cache.LocalMaxTtlSeconds, 0, 86_400);
        problems.Range($"{section}:MaxEntries", cache.MaxEntries, 1, 100_000_000);
    }

    private static void Registry(CoreOptions options, SettingProblems problems)
    {
        const string section = CoreOptions.RegistrySection;
        var registry = options.Registry;
        problems.Range($"{section}:MaxWriteBatch", registry.MaxWriteBatch, 1, 100_000);
        problems.Range($"{section}:MaxResolveBatch", registry.MaxResolveBatch, 1, 100_000);
        const int largestPage = 100_000;
        problems.Range($"{section}:MaxPageSize", registry.MaxPageSize, 1, largestPage);
        var pageSize = registry.MaxPageSize is >= 1 and <= largestPage ? registry.MaxPageSize : largestPage;
        problems.Check(registry.DefaultPageSize >= 1 && registry.DefaultPageSize <= pageSize, $"{section}:DefaultPageSize", registry.DefaultPageSize,
            $"1 to {section}:MaxPageSize ({pageSize})");
        problems.Range($"{section}:MaxConflictRetries", registry.MaxConflictRetries, 0, 1000);
    }

    private static void Security(CoreOptions options, SettingProblems problems)
    {
        const string section = CoreOptions.SecuritySection;
        var security = options.Security;
        var prefixBytes = options.Identifiers.MaxPrefixBytes is >= 1 and <= LongestPrefix ? options.Identifiers.MaxPrefixBytes : LongestPrefix;
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
}
