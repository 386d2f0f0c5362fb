using System.Globalization;
using IdResolution.Contracts.V1;

namespace IdResolution.Cli.Commands;

/// <summary>
/// Values on the command line: <c>INDEX:TYPE=DATA</c>, e.g. <c>1:URL=https://example.com/a</c>; the data is the
/// value's string data, everything after the first '='.
/// </summary>
internal static class ValueSpecs
{
    public static HandleValue Parse(string spec, uint? ttlSeconds)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var equals = colon < 0 ? -1 : spec.IndexOf('=', colon);
        if (colon <= 0 || equals < 0 || equals == colon + 1
            || !uint.TryParse(spec.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index is 0 or > int.MaxValue)
        {
            throw CliFailure.Usage($"'{spec}' is not a value: write INDEX:TYPE=DATA, e.g. 1:URL=https://example.com/a, with an index from 1 to 2147483647");
        }

        var value = new HandleValue { Index = index, Type = spec[(colon + 1)..equals], Data = new ValueData { StringValue = spec[(equals + 1)..] } };
        if (ttlSeconds is { } ttl)
        {
            value.TtlSeconds = ttl;
        }

        return value;
    }
}
