using System.Text.Json;
using IdResolution.Node.Tests.Infrastructure;
using Json.Schema;

namespace IdResolution.Cli.Tests.Infrastructure;

/// <summary>
/// The documented schema of idres's --json output (src/IdResolution.Cli/Schemas/output.schema.json): checks a
/// document against the definition its command names.
/// </summary>
public static class OutputSchema
{
    private const string Id = "https://idresolution.example/schemas/idres-output.schema.json";

    private static readonly Lazy<BuildOptions> Options = new(() =>
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        JsonSchema.FromFile(Path.Combine(Repository.Root, "src", "IdResolution.Cli", "Schemas", "output.schema.json"), options);
        return options;
    });

    private static readonly Dictionary<string, JsonSchema> Definitions = [];

    /// <summary>Parses <paramref name="json"/> and asserts it is a valid <paramref name="definition"/> document.</summary>
    public static JsonElement Check(string definition, string json)
    {
        JsonElement document;
        try
        {
            document = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"not one JSON document ({e.Message}):{Environment.NewLine}{json}");
        }

        var results = Schema(definition).Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!results.IsValid)
        {
            var errors = (results.Details ?? []).Where(detail => detail.Errors is not null)
                .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Key} {error.Value}"));
            throw new Xunit.Sdk.XunitException($"the output is not a valid '{definition}' document: {string.Join("; ", errors)}{Environment.NewLine}{json}");
        }

        return document;
    }

    private static JsonSchema Schema(string definition)
    {
        lock (Definitions)
        {
            if (!Definitions.TryGetValue(definition, out var schema))
            {
                schema = JsonSchema.FromText($"{{\"$ref\":\"{Id}#/$defs/{definition}\"}}", Options.Value, new Uri($"https://idresolution.example/tests/{definition}"));
                Definitions[definition] = schema;
            }

            return schema;
        }
    }
}
