using Microsoft.OpenApi.Any;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace IdResolution.Node.Hosting;

/// <summary>
/// Describes the Handle.Net REST API (<c>/api/handles</c>, <c>/api/prefixes</c>) in the OpenAPI document. Its handlers read
/// the raw request (Handle.Net's query forms and value JSON), so nothing about it can be inferred from
/// their signatures: parameters, bodies, answers and credentials are declared here.
/// </summary>
internal sealed class HandleRestOperationFilter : IOperationFilter
{
    private const string ListPath = "/api/handles";
    private const string HandlePath = "/api/handles/{handle}";
    private const string PrefixesPath = "/api/prefixes";
    private const string PrefixPath = "/api/prefixes/{prefix}";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        // The catch-all route parameter {**handle} is one path parameter to a client.
        var path = "/" + context.ApiDescription.RelativePath?.Replace("**", string.Empty, StringComparison.Ordinal);
        var schemas = new HandleRestSchemas(context);
        switch (context.ApiDescription.HttpMethod, path)
        {
            case ("GET", ListPath):
                Describe(operation, "HandleRestList", "Lists the handles under a prefix (Handle.Net REST).",
                    "Without page and pageSize the whole prefix; `pageSize=0` alone lists all, `page=0&pageSize=0` only counts.", anonymous: false);
                operation.Parameters.Add(Query("prefix", String(), "The prefix, as `88.709.911` or as its prefix handle `0.NA/88.709.911`.", required: true));
                operation.Parameters.Add(Query("page", Integer(), "Zero-based page number."));
                operation.Parameters.Add(Query("pageSize", Integer(), "Handles per page."));
                operation.Responses["200"] = ApiResponses.Json("The handles (`totalCount` is a string, as Handle.Net sends it).", schemas.Listing);
                schemas.AddErrors(operation, StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden);
                break;
            case ("GET", HandlePath):
                Describe(operation, "HandleRestResolve", "Resolves a handle (Handle.Net REST).",
                    "Resolution is public; values without publicRead are returned only to callers whose HS_ADMIN grants read-value.", anonymous: true);
                operation.Parameters.Add(HandleParameter());
                operation.Parameters.Add(Query("type", Array(String()), "Only values of these types."));
                operation.Parameters.Add(Query("index", Array(Integer()), "Only values at these indexes."));
                operation.Parameters.Add(Query("publicOnly", Boolean(), "Only publicly readable values, even for an authenticated caller (default for anonymous callers)."));
                operation.Parameters.Add(Query("auth", Boolean(), "Read from the store rather than the cache."));
                operation.Responses["200"] = ApiResponses.Json("The handle's values (responseCode 1, or 200 when no value matches the filters).", schemas.Record);
                schemas.AddErrors(operation, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
                break;
            case ("PUT", HandlePath):
                Describe(operation, "HandleRestPut", "Creates or changes a handle (Handle.Net REST).",
                    "The body is a value array, `{\"values\":[...]}` or one value. Without `index`, the values replace the record (or create it); "
                    + "with `index=N` (repeatable) or `index=various`, only those values are added or replaced.", anonymous: false);
                operation.Parameters.Add(HandleParameter());
                operation.Parameters.Add(Query("overwrite", Boolean(defaultValue: true), "Whether an existing handle (or value) may be replaced; false answers 409 for one that exists."));
                operation.Parameters.Add(Query("index", Array(String()), "Indexes of the values to add or replace, or `various` for every value in the body."));
                operation.Parameters.Add(Query("mintNewSuffix", Boolean(), "On a handle ending in `/`: create it with a new random suffix."));
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schemas.PutBody } },
                };
                operation.Responses["200"] = ApiResponses.Json("Stored.", schemas.Record);
                operation.Responses["201"] = ApiResponses.Json("Stored, and something new was created.", schemas.Record);
                schemas.AddErrors(operation, StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
                break;
            case ("DELETE", HandlePath):
                Describe(operation, "HandleRestDelete", "Deletes a handle, or some of its values (Handle.Net REST).", "With `index=N` (repeatable) only those values.", anonymous: false);
                operation.Parameters.Add(HandleParameter());
                operation.Parameters.Add(Query("index", Array(Integer()), "Only the values at these indexes."));
                operation.Responses["200"] = ApiResponses.Json("Deleted.", schemas.Record);
                schemas.AddErrors(operation, StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
                break;
            case ("GET", PrefixesPath):
                Describe(operation, "HandleRestListPrefixes", "Lists the prefixes this node holds (Handle.Net REST).",
                    "Its own prefix, then every prefix handle it stores (allocated, homed, delegated to child nodes), as `0.NA/<prefix>`. For administrators.", anonymous: false);
                operation.Parameters.Add(Query("page", Integer(), "Zero-based page number (with pageSize)."));
                operation.Parameters.Add(Query("pageSize", Integer(), "Prefixes per page (with page)."));
                operation.Responses["200"] = ApiResponses.Json("The prefixes (`totalCount` is a string, as Handle.Net sends it).", schemas.PrefixListing);
                schemas.AddErrors(operation, StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden);
                break;
            case ("POST", PrefixPath):
                Describe(operation, "HandleRestHomePrefix", "Homes a prefix: records it as held by this node (Handle.Net REST).",
                    "With `owner` (query parameter, or `{\"owner\":\"acme\"}` as a JSON body) the prefix is allocated to that enterprise account; "
                    + "without, its prefix handle holds only its status and only administrators write under it. Homing a held prefix changes nothing (200).", anonymous: false);
                operation.Parameters.Add(PrefixParameter());
                operation.Parameters.Add(Query("owner", String(), "The enterprise account the prefix is allocated to."));
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = false,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schemas.HomeBody } },
                };
                operation.Responses["200"] = ApiResponses.Json("Held already; nothing changed.", schemas.Record);
                operation.Responses["201"] = ApiResponses.Json("Homed.", schemas.Record);
                schemas.AddErrors(operation, StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
                break;
            case ("DELETE", PrefixPath):
                Describe(operation, "HandleRestUnhomePrefix", "Unhomes a prefix: removes its prefix handle (Handle.Net REST).",
                    "Refused (400, responseCode 4) while handles remain under the prefix.", anonymous: false);
                operation.Parameters.Add(PrefixParameter());
                operation.Responses["200"] = ApiResponses.Json("Unhomed.", schemas.Record);
                schemas.AddErrors(operation, StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
                break;
        }
    }

    private static OpenApiParameter PrefixParameter() => new()
    {
        Name = "prefix",
        In = ParameterLocation.Path,
        Required = true,
        Description = "The prefix, as `88.709.911` or as its prefix handle `0.NA/88.709.911` (slash as is or `%2F`).",
        Schema = String(),
    };

    private static void Describe(OpenApiOperation operation, string operationId, string summary, string description, bool anonymous)
    {
        operation.OperationId = operationId;
        operation.Summary = summary;
        operation.Description = description;
        operation.Security = ApiSecurity.AnyScheme(anonymous);
        operation.Parameters.Clear();
        operation.Responses.Clear();
    }

    private static OpenApiParameter HandleParameter() => new()
    {
        Name = "handle",
        In = ParameterLocation.Path,
        Required = true,
        Description = "The handle, e.g. `88.709.911/ABC-0001`; its slash may be sent as is or as `%2F`.",
        Schema = String(),
    };

    private static OpenApiParameter Query(string name, OpenApiSchema schema, string description, bool required = false) =>
        new() { Name = name, In = ParameterLocation.Query, Required = required, Description = description, Schema = schema };

    private static OpenApiSchema String() => new() { Type = "string" };

    private static OpenApiSchema Integer() => new() { Type = "integer", Format = "int32", Minimum = 0 };

    private static OpenApiSchema Boolean(bool defaultValue = false) => new() { Type = "boolean", Default = new OpenApiBoolean(defaultValue) };

    private static OpenApiSchema Array(OpenApiSchema items) => new() { Type = "array", Items = items };
}
