using Microsoft.OpenApi.Models;

namespace IdResolution.Node.Hosting;

/// <summary>Responses of the OpenAPI document: JSON answers, and what each client error means on the node.</summary>
internal static class ApiResponses
{
    private static readonly Dictionary<int, string> Meanings = new()
    {
        [StatusCodes.Status400BadRequest] = "The request, an identifier or a value is invalid (Handle codes 4, 102, 202); the message says what to change.",
        [StatusCodes.Status401Unauthorized] = "Credentials are needed and missing (Handle code 402), or were sent and refused (403).",
        [StatusCodes.Status403Forbidden] = "The caller's HS_ADMIN permissions do not allow this (Handle code 401).",
        [StatusCodes.Status404NotFound] = "The handle, value, account or prefix does not exist (Handle codes 100, 200).",
        [StatusCodes.Status409Conflict] = "It exists already (Handle code 101), or a value index is taken or given twice (201).",
        [StatusCodes.Status429TooManyRequests] = "The client is over its rate budget; retry after the seconds in Retry-After.",
    };

    /// <summary>Adds a response per status, each with the JSON error <paramref name="schema"/>; responses already described stay.</summary>
    public static void AddErrors(OpenApiOperation operation, OpenApiSchema schema, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), Json(Meanings[status], schema));
        }
    }

    public static OpenApiResponse Json(string description, OpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
    };
}
