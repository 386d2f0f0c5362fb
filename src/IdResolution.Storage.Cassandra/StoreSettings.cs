using System.Globalization;

namespace IdResolution.Storage.Cassandra;

/// <summary>
/// Settings the stored data depends on, recorded in <c>store_settings</c> by the first node that starts
/// (<see cref="CassandraStatements.InsertSetting"/>). Every later start compares its own options with
/// them, so a node configured with another bucket count refuses to start instead of listing a fraction
/// of each prefix and filing new handles where no other node looks.
/// </summary>
internal static class StoreSettings
{
    public const string ListingBucketsName = "listing_buckets";

    /// <summary>When the change log began (Unix microseconds): a reader from before it has lost nothing to retention.</summary>
    public const string ChangeLogStartedName = "change_log_started";

    /// <summary>Values of <see cref="CassandraStatements.InsertSetting"/> that record the bucket count.</summary>
    public static object?[] ListingBucketsValues(int buckets) => [ListingBucketsName, buckets.ToString(CultureInfo.InvariantCulture)];

    public static string ChangeLogStartedValue(DateTimeOffset started) =>
        ((started - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// When the change log began, from the insert's answer: <paramref name="proposed"/> when this start recorded
    /// it, else the value recorded before (which must be a number of microseconds).
    /// </summary>
    public static DateTimeOffset ChangeLogStarted(DateTimeOffset proposed, bool applied, string? storedValue)
    {
        if (applied)
        {
            return proposed;
        }

        return long.TryParse(storedValue, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds)
            ? DateTimeOffset.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond)
            : throw new InvalidOperationException($"store_settings holds '{storedValue}' for {ChangeLogStartedName}, which is not a time in microseconds; repair the row before starting.");
    }

    /// <summary>
    /// Why this node must not start, or null. <paramref name="applied"/> and <paramref name="storedValue"/>
    /// are the insert's answer: when it was not applied, the response carries the value recorded before.
    /// </summary>
    public static string? ListingBucketsProblem(int configured, bool applied, string? storedValue)
    {
        if (applied)
        {
            return null;
        }

        if (!int.TryParse(storedValue, NumberStyles.None, CultureInfo.InvariantCulture, out var stored))
        {
            return $"store_settings holds '{storedValue}' for {ListingBucketsName}, which is not a bucket count; repair the row before starting.";
        }

        return stored == configured
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"Cassandra:ListingBuckets is {configured} but the stored listing was written with {stored} buckets; set it to {stored} (a different count needs the listing rebuilt).");
    }
}
