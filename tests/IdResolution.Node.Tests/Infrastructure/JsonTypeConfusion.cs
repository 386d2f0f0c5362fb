using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdResolution.Node.Tests.Infrastructure;

/// <summary>The JSON types a field can be given in place of the one it expects.</summary>
public enum JsonKind
{
    String,
    Number,
    OutOfRangeNumber,
    Null,
    Boolean,
    Object,
    Array,
}

/// <summary>
/// One place in one example and what goes there: a JSON path (<c>$</c>, <c>$.values[0].index</c>)
/// or a query parameter (<c>?index</c>), and the kind of value that replaces it.
/// </summary>
public sealed record ConfusionSlot(JsonExample Example, IReadOnlyList<object> Path, JsonKind Kind)
{
    public string Where => Example.Body is null ? "?" + Path[0] : JsonTypeConfusion.Format(Path);
}

/// <summary>
/// Type confusion made from valid example bodies by walking their JSON trees: every node (the root,
/// each property, each array element) is in turn given a value of every other JSON kind, and numbers
/// also an out-of-range one. Because the slots come from the walk, a field added to an example is
/// covered without further work.
/// </summary>
public static class JsonTypeConfusion
{
    private static readonly Dictionary<JsonKind, string[]> Replacements = new()
    {
        [JsonKind.String] = ["\"x\"", "\"\"", "\"1\"", "\"-1\"", "\"true\"", "\"null\"", "\"2030-01-01T00:00:00Z\"", "\"AAEC\"", "\"1e400\"", "\"\\u0000\"", "\"88.709.97/x\"", "\"{}\""],
        [JsonKind.Number] = ["0", "1", "-1", "1.5", "100", "2147483647", "-0", "1e2"],
        [JsonKind.OutOfRangeNumber] =
        [
            "4294967296", "-2147483649", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
            "1e400", "-1e400", "1e-400", "123456789012345678901234567890", "2147483648", "4294967295", "-4294967296",
        ],
        [JsonKind.Null] = ["null"],
        [JsonKind.Boolean] = ["true", "false"],
        [JsonKind.Object] = ["{}", "{\"a\":1}", "{\"format\":\"string\",\"value\":\"x\"}", "{\"handle\":\"x\",\"index\":1}", "{\"string\":\"x\"}"],
        [JsonKind.Array] = ["[]", "[1]", "[\"x\"]", "[null]", "[{}]", "[[]]", "[true,false]"],
    };

    /// <summary>Query parameter values of each kind, as text (a query has no types, but its parameters do).</summary>
    private static readonly Dictionary<JsonKind, string[]> QueryReplacements = new()
    {
        [JsonKind.String] = ["x", "", "%00", "1x", "true1", "%FF"],
        [JsonKind.Number] = ["0", "-1", "1.5", "2147483647", "1e2"],
        [JsonKind.OutOfRangeNumber] = ["4294967296", "-2147483649", "9223372036854775808", "1e400", "123456789012345678901234567890"],
        [JsonKind.Null] = ["null"],
        [JsonKind.Boolean] = ["true", "false", "TRUE"],
        [JsonKind.Object] = ["{}", "%7B%22a%22%3A1%7D"],
        [JsonKind.Array] = ["[]", "%5B1%5D", "1,2"],
    };

    /// <summary>Every slot of every example.</summary>
    public static IReadOnlyList<ConfusionSlot> Slots(IEnumerable<JsonExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var slots = new List<ConfusionSlot>();
        foreach (var example in examples)
        {
            if (example.Body is null)
            {
                // A query value is text of one kind; each parameter gets every kind, its own included.
                foreach (var (name, _) in example.Query)
                {
                    slots.AddRange(Enum.GetValues<JsonKind>().Select(kind => new ConfusionSlot(example, [name], kind)));
                }

                continue;
            }

            var root = JsonNode.Parse(FuzzTargets.ForWorker(0).Fill(example.Body));
            Walk(root, [], (path, node) =>
            {
                var own = KindOf(node);
                slots.AddRange(Enum.GetValues<JsonKind>().Where(kind => kind != own).Select(kind => new ConfusionSlot(example, path, kind)));
            });
        }

        return slots;
    }

    /// <summary>The example's body (or query) for one worker with the slot's node replaced by a value of its kind.</summary>
    public static (string Path, string? Body, string Replacement) Apply(ConfusionSlot slot, FuzzTargets targets, Random random)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(random);
        var path = targets.Fill(slot.Example.Path);
        if (slot.Example.Body is null)
        {
            var text = Pick(random, QueryReplacements[slot.Kind]);
            var query = slot.Example.Query.Select(p => p.Key + "=" + (p.Key == (string)slot.Path[0] ? text : Uri.EscapeDataString(targets.Fill(p.Value))));
            return (path + "?" + string.Join('&', query), null, text);
        }

        var replacement = Pick(random, Replacements[slot.Kind]);
        var root = JsonNode.Parse(targets.Fill(slot.Example.Body));
        var value = JsonNode.Parse(replacement);
        if (slot.Path.Count == 0)
        {
            return (path, replacement, replacement);
        }

        var parent = slot.Path.Take(slot.Path.Count - 1).Aggregate(root!, (node, step) => step is string name ? node[name]! : node[(int)step]!);
        switch (slot.Path[^1])
        {
            case string name:
                parent.AsObject()[name] = value;
                break;
            case int index:
                parent.AsArray()[index] = value;
                break;
        }

        return (path, root!.ToJsonString(), replacement);
    }

    public static string Format(IReadOnlyList<object> path) =>
        "$" + string.Concat(path.Select(step => step is string name ? "." + name : $"[{step}]"));

    private static void Walk(JsonNode? node, List<object> path, Action<IReadOnlyList<object>, JsonNode?> visit)
    {
        visit([.. path], node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    path.Add(name);
                    Walk(child, path, visit);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    path.Add(i);
                    Walk(array[i], path, visit);
                    path.RemoveAt(path.Count - 1);
                }

                break;
        }
    }

    private static JsonKind KindOf(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => JsonKind.Null,
        JsonValueKind.String => JsonKind.String,
        JsonValueKind.Number => JsonKind.Number,
        JsonValueKind.True or JsonValueKind.False => JsonKind.Boolean,
        JsonValueKind.Object => JsonKind.Object,
        _ => JsonKind.Array,
    };

    private static string Pick(Random random, string[] options) => options[random.Next(options.Length)];
}
