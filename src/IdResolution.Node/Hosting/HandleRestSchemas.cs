using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace IdResolution.Node.Hosting;

/// <summary>
/// The JSON shapes of the Handle.Net REST API (Handle technical manual ch. 14) as OpenAPI schemas,
/// registered once in the document's components and referenced from its operations.
/// </summary>
internal sealed class HandleRestSchemas(OperationFilterContext context)
{
    public OpenApiSchema Value => Reference("HandleRestValue", () => ApiSchemas.Object(["index", "type"],
        ("index", new OpenApiSchema { Type = "integer", Format = "int32", Minimum = 1 }),
        ("type", new OpenApiSchema { Type = "string" }),
        ("data", ApiSchemas.Object(["format"],
            ("format", new OpenApiSchema { Type = "string", Description = "string, base64, hex, admin, vlist or site." }),
            ("value", new OpenApiSchema { Description = "A string, or for admin, vlist and site the structure Handle.Net gives them." }))),
        ("permissions", new OpenApiSchema { Type = "string", Description = "adminRead adminWrite publicRead publicWrite as up to four 0/1 characters." }),
        ("ttl", new OpenApiSchema
        {
            Description = "Seconds (relative), or an absolute expiry time as a string.",
            OneOf = [new OpenApiSchema { Type = "integer", Format = "int64" }, new OpenApiSchema { Type = "string", Format = "date-time" }],
        }),
        ("timestamp", new OpenApiSchema { Type = "string", Format = "date-time" }),
        ("references", new OpenApiSchema
        {
            Type = "array",
            Items = ApiSchemas.Object(["handle", "index"], ("handle", new OpenApiSchema { Type = "string" }), ("index", new OpenApiSchema { Type = "integer", Format = "int32" })),
        })));

    public OpenApiSchema Record => Reference("HandleRestRecord", () => ApiSchemas.Object(["responseCode"],
        ("responseCode", ResponseCode()),
        ("handle", new OpenApiSchema { Type = "string" }),
        ("values", new OpenApiSchema { Type = "array", Items = Value })));

    public OpenApiSchema Listing => Reference("HandleRestListing", () => ApiSchemas.Object(["responseCode", "handles"],
        ("responseCode", ResponseCode()),
        ("prefix", new OpenApiSchema { Type = "string" }),
        ("totalCount", new OpenApiSchema { Type = "string" }),
        ("handles", new OpenApiSchema { Type = "array", Items = new OpenApiSchema { Type = "string" } })));

    public OpenApiSchema PrefixListing => Reference("HandleRestPrefixListing", () => ApiSchemas.Object(["responseCode", "prefixes"],
        ("responseCode", ResponseCode()),
        ("totalCount", new OpenApiSchema { Type = "string" }),
        ("page", new OpenApiSchema { Type = "integer", Format = "int32" }),
        ("pageSize", new OpenApiSchema { Type = "integer", Format = "int32" }),
        ("prefixes", new OpenApiSchema { Type = "array", Items = new OpenApiSchema { Type = "string" } })));

    public OpenApiSchema HomeBody => Reference("HandleRestHomeBody", () => ApiSchemas.Object([],
        ("owner", new OpenApiSchema { Type = "string", Description = "The enterprise account the prefix is allocated to." })));

    public OpenApiSchema Error => Reference("HandleRestError", () => ApiSchemas.Object(["responseCode"],
        ("responseCode", ResponseCode()),
        ("handle", new OpenApiSchema { Type = "string" }),
        ("message", new OpenApiSchema { Type = "string" })));

    public OpenApiSchema PutBody => new()
    {
        OneOf = [new OpenApiSchema { Type = "array", Items = Value }, ApiSchemas.Object(["values"], ("values", new OpenApiSchema { Type = "array", Items = Value })), Value],
    };

    /// <summary>
    /// The operation's client errors with this API's error shape, plus the two every HTTP surface shares:
    /// refused credentials and rate limits, answered before the request reaches this API as a google.rpc.Status.
    /// </summary>
    public void AddErrors(OpenApiOperation operation, params int[] statuses)
    {
        var status = ApiSchemas.Status(context);
        ApiResponses.AddErrors(operation, Error, statuses);
        operation.Responses["401"] = ApiResponses.Json(
            "Credentials are needed and missing (Handle code 402, over TLS; over plain HTTP that is a 403), or were sent and refused.",
            new OpenApiSchema { OneOf = [Error, status] });
        ApiResponses.AddErrors(operation, status, StatusCodes.Status429TooManyRequests);
    }

    private static OpenApiSchema ResponseCode() => new() { Type = "integer", Format = "int32", Description = "The Handle response code (1 success)." };

    private OpenApiSchema Reference(string id, Func<OpenApiSchema> schema) => ApiSchemas.Define(context.SchemaRepository, id, schema);
}
