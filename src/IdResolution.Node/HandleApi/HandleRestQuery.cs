using System.Globalization;
using System.Text.Json;
using IdResolution.Core;
using IdResolution.Core.Records;
using Microsoft.Net.Http.Headers;

namespace IdResolution.Node.HandleApi;

/// <summary>Reads the REST API's query parameters and request bodies; anything unreadable is PROTOCOL_ERROR (4), never a failure of the node.</summary>
internal static class HandleRestQuery
{
    private const int MaxJsonDepth = 32;

    /// <summary>Repeated <c>index</c> parameters (each 1 to 2^31-1), or <c>index=various</c>.</summary>
    public static bool TryIndexes(IQueryCollection query, out IReadOnlyList<int> indexes, out bool various)
    {
        var result = new List<int>();
        indexes = result;
        various = false;
        foreach (var text in query["index"])
        {
            if (string.Equals(text, "various", StringComparison.OrdinalIgnoreCase))
            {
                various = true;
            }
            else if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && RecordValidator.CheckIndex(index) is null)
            {
                result.Add(index);
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A boolean parameter: absent gives <paramref name="absent"/>; present without a value, <c>true</c>.</summary>
    public static bool TryBool(IQueryCollection query, string name, bool absent, out bool value)
    {
        value = absent;
        if (!query.TryGetValue(name, out var values))
        {
            return true;
        }

        var text = values.ToString();
        if (text.Length == 0)
        {
            value = true;
            return true;
        }

        return bool.TryParse(text, out value);
    }

    /// <summary>An optional whole number of 0 or more; null when absent.</summary>
    public static bool TryCount(IQueryCollection query, string name, out int? value)
    {
        value = null;
        if (!query.TryGetValue(name, out var values))
        {
            return true;
        }

        if (values.Count == 1 && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            value = number;
            return true;
        }

        return false;
    }

    /// <summary>
    /// A body declared as JSON (<c>application/json</c>, <c>text/json</c> or a <c>+json</c> type). A body
    /// without a content type, or sent as text or as a form (what <c>curl -d</c> sets by default), is
    /// refused rather than guessed at: the client learns at once that it sent something else.
    /// </summary>
    public static bool IsJsonContent(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        var type = media.MediaType.Value ?? string.Empty;
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The <c>owner</c> of a prefix to home: the query parameter, or a member of a JSON object body (as Handle.Net
    /// reads a JSON body's members as parameters); null when neither names one. A body that is not JSON is not read.
    /// </summary>
    public static async Task<(string? Owner, Refusal? Refusal)> ReadOwnerAsync(HttpContext context)
    {
        var owner = context.Request.Query["owner"].ToString();
        if (!IsJsonContent(context.Request.ContentType) || context.Request.ContentLength == 0)
        {
            return (owner.Length == 0 ? null : owner, null);
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = MaxJsonDepth }, context.RequestAborted);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || (root.TryGetProperty("owner", out var named) && named.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)))
            {
                return (null, new Refusal(HandleResponseCode.ProtocolError, "the body must be a JSON object whose \"owner\" is the name of an enterprise account, e.g. {\"owner\":\"acme\"}"));
            }

            return (root.TryGetProperty("owner", out var given) && given.GetString() is { Length: > 0 } name ? name : owner.Length == 0 ? null : owner, null);
        }
        catch (JsonException)
        {
            return (null, new Refusal(HandleResponseCode.ProtocolError, "the body is not well-formed JSON"));
        }
        catch (BadHttpRequestException)
        {
            return (null, new Refusal(HandleResponseCode.ProtocolError, "the body could not be read"));
        }
    }

    /// <summary>The values of a PUT body (an array of values, <c>{"values":[...]}</c> or one value) and the handle it names, if any.</summary>
    public static async Task<(IReadOnlyList<HandleValue> Values, string? Handle, Refusal? Refusal)> ReadValuesAsync(HttpContext context)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = MaxJsonDepth }, context.RequestAborted);
        }
        catch (JsonException)
        {
            return ([], null, new Refusal(HandleResponseCode.ProtocolError, "the body is not well-formed JSON"));
        }
        catch (BadHttpRequestException)
        {
            return ([], null, new Refusal(HandleResponseCode.ProtocolError, "the body could not be read"));
        }

        using (document)
        {
            return HandleJson.TryReadValues(document.RootElement, out var values, out var handle, out var refusal)
                ? (values, handle, null)
                : ([], null, refusal);
        }
    }
}
