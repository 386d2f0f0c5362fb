using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace IdResolution.Cli.Output;

/// <summary>
/// Contract messages as JSON, in the form the node's JSON API uses (camelCase, fields at their default left
/// out), so the command line's <c>--json</c> and the REST answers read the same; written compact, one document a line.
/// </summary>
internal static class ProtoJson
{
    /// <summary>Text as it is (no \u0027 for a quote): the output is UTF-8 for terminals and scripts, never embedded in HTML.</summary>
    public static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    public static JsonNode Node(IMessage message) => JsonNode.Parse(Formatter.Format(message))!;

    public static string Text(IMessage message) => Node(message).ToJsonString(Compact);

    public static JsonArray Array<T>(IEnumerable<T> messages)
        where T : IMessage => new([.. messages.Select(message => (JsonNode?)Node(message))]);
}
