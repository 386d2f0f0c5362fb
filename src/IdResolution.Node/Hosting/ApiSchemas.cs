using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace IdResolution.Node.Hosting;

/// <summary>Building blocks for the schemas the OpenAPI document's operation filters declare.</summary>
internal static class ApiSchemas
{
    /// <summary>The error every gRPC-JSON answer and every host-level refusal (credentials, rate limits) carries.</summary>
    public static OpenApiSchema Status(OperationFilterContext context) =>
        context.SchemaGenerator.GenerateSchema(typeof(Google.Rpc.Status), context.SchemaRepository);

    /// <summary>A reference to the component <paramref name="id"/>, defined from <paramref name="schema"/> the first time.</summary>
    public static OpenApiSchema Define(SchemaRepository repository, string id, Func<OpenApiSchema> schema)
    {
        if (!repository.Schemas.ContainsKey(id))
        {
            repository.AddDefinition(id, schema());
        }

        return new OpenApiSchema { Reference = new OpenApiReference { Type = ReferenceType.Schema, Id = id } };
    }

    public static OpenApiSchema Object(string[] required, params (string Name, OpenApiSchema Schema)[] properties) => new()
    {
        Type = "object",
        Required = new SortedSet<string>(required, StringComparer.Ordinal),
        Properties = properties.ToDictionary(p => p.Name, p => p.Schema, StringComparer.Ordinal),
    };
}
