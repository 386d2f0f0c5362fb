using System.Globalization;
using System.Text;

namespace IdResolution.Caching.Redis.Tests.Infrastructure;

/// <summary>Renders a <see cref="RespConnection"/> reply as text, for assertions and failure messages.</summary>
internal static class RespReply
{
    /// <summary>Bulk strings as UTF-8, integers in invariant digits, array items one per line, null as null.</summary>
    public static string? ToText(object? reply) => reply switch
    {
        null => null,
        string text => text,
        long number => number.ToString(CultureInfo.InvariantCulture),
        byte[] bulk => Encoding.UTF8.GetString(bulk),
        object?[] items => string.Join('\n', items.Select(ToText)),
        _ => throw new ArgumentException($"not a RESP reply: {reply.GetType()}", nameof(reply)),
    };

    /// <summary>
    /// The "key:value" lines of an INFO or CLUSTER INFO reply; "# Section" headers and blank lines
    /// are dropped.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ToFields(string? text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in (text ?? string.Empty).Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || colon < 0)
            {
                continue;
            }

            fields[line[..colon]] = line[(colon + 1)..];
        }

        return fields;
    }
}
