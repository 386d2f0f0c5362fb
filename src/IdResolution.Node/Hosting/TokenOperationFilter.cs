using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace IdResolution.Node.Hosting;

/// <summary>
/// Describes <c>POST /identity/token</c> in the OpenAPI document: its handler reads the body itself, so
/// its request and its envelope answers (<c>{"status","message","data":{"token"}}</c>) are declared here.
/// </summary>
internal sealed class TokenOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (context.ApiDescription.HttpMethod != "POST" || context.ApiDescription.RelativePath != "identity/token")
        {
            return;
        }

        operation.OperationId = "IssueToken";
        operation.Summary = "Exchanges an account's name and password for a bearer token.";
        // The credentials travel in the body; the operation itself needs none ({} is the empty requirement).
        operation.Security = [new OpenApiSecurityRequirement()];
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = Request(context.SchemaRepository) } },
        };
        var reply = Reply(context.SchemaRepository);
        operation.Responses.Clear();
        operation.Responses["200"] = ApiResponses.Json("The token (status 1); send it as `Authorization: Bearer <token>`.", reply);
        operation.Responses["400"] = ApiResponses.Json("The body is not `{\"username\",\"password\"}` (status -2).", reply);
        operation.Responses["401"] = ApiResponses.Json("The credentials were refused (status -1).", reply);
        ApiResponses.AddErrors(operation, ApiSchemas.Status(context), StatusCodes.Status429TooManyRequests);
    }

    private static OpenApiSchema Request(SchemaRepository repository) => ApiSchemas.Define(repository, "TokenRequest", () => ApiSchemas.Object(["username", "password"],
        ("username", new OpenApiSchema { Type = "string" }),
        ("password", new OpenApiSchema { Type = "string", Format = "password" })));

    private static OpenApiSchema Reply(SchemaRepository repository) => ApiSchemas.Define(repository, "TokenReply", () => ApiSchemas.Object(["status", "message"],
        ("status", new OpenApiSchema { Type = "integer", Format = "int32", Description = "1 success, -1 credentials refused, -2 malformed request." }),
        ("message", new OpenApiSchema { Type = "string" }),
        ("data", ApiSchemas.Object([], ("token", new OpenApiSchema { Type = "string" })))));
}
