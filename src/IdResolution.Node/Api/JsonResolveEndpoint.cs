using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;
using IdResolution.Core.Resolution;
using IdResolution.Node.Budgets;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.Security;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.Extensions.Primitives;

namespace IdResolution.Node.Api;

/// <summary>
/// <c>GET /v1/handles/{handle}</c> written here rather than by JSON transcoding, which builds the request message by
/// reflection, runs the gRPC call pipeline and writes the answer through reflective protobuf-to-JSON converters on
/// every call: about a quarter of the node's time on this route (profile in the README's Performance). The answer is
/// the transcoder's to the byte (same fields, order, statuses and error form; the node's tests compare the two), and
/// for a record answered whole it is encoded once and kept with the cached record. A request this endpoint does not
/// read as the transcoder would (any query parameter other than a plain <c>type</c>, <c>index</c>,
/// <c>authoritative</c> or <c>noRecursion</c>) is handed to the transcoded endpoint, which stays mapped and documented.
/// </summary>
internal static class JsonResolveEndpoint
{
    private const string Route = "/v1/handles/{**handle}";
    private const string ContentType = "application/json; charset=utf-8";
    private const string ResolveMethod = "idresolution.v1.Resolution.Resolve";

    private static readonly WholeRecordAnswers<byte[]> Encoded = new();

    /// <summary>The transcoder's settings (<c>IgnoreDefaultValues</c>): default fields are left out.</summary>
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    /// <summary>The transcoder writes compact JSON with System.Text.Json's relaxed escaping ('&lt;' and non-ASCII text as they are).</summary>
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static void MapJsonResolve(this WebApplication app)
    {
        var transcoded = new Lazy<RequestDelegate>(() => FindTranscoded(app));
        app.MapGet(Route, context => AnswerAsync(context, transcoded))
            .WithOrder(-1)
            .Spends(RequestBudget.Resolution)
            .ExcludeFromDescription();
    }

    private static async Task AnswerAsync(HttpContext context, Lazy<RequestDelegate> transcoded)
    {
        if (context.Request.RouteValues["handle"] is not string handle || !TryReadQuery(context.Request.Query, out var types, out var indexes, out var mode))
        {
            await transcoded.Value(context);
            return;
        }

        var resolver = context.RequestServices.GetRequiredService<Resolver>();
        Google.Rpc.Status? failure;
        try
        {
            var filter = ResolutionService.Filter(types, indexes, out var filterFailure);
            if (filterFailure is not null)
            {
                failure = filterFailure;
            }
            else
            {
                var outcome = await resolver.ResolveAsync(context.ToCaller(), handle, filter!, mode, context.RequestAborted);
                if (outcome.IsSuccess)
                {
                    StaleMarker.Mark(context, outcome.Value.Stale);
                    await WriteAsync(context, StatusCodes.Status200OK, Encoded.Get(outcome.Value, Encode));
                    return;
                }

                failure = HandleStatus.ToRpcStatus(outcome, handle);
            }
        }
        catch (Exception exception)
        {
            var logger = context.RequestServices.GetRequiredService<ILogger<UnexpectedErrorInterceptor>>();
            failure = UnexpectedErrorInterceptor.Translate(exception, logger, ResolveMethod, context.RequestAborted);
        }

        await WriteAsync(context, TranscodedHttpStatus.From(failure.Code), AsTranscoded(HandleStatus.Json.Format(failure)));
    }

    private static Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static byte[] Encode(Core.Resolution.Resolution resolution) => AsTranscoded(Formatter.Format(ResolutionService.ToContract(resolution)));

    /// <summary>
    /// Protobuf's JSON (the contract's field names, oneofs, timestamps and defaults, as the transcoder maps them) in the
    /// transcoder's layout: the protobuf formatter spaces its output and escapes more than System.Text.Json's relaxed encoder.
    /// </summary>
    private static byte[] AsTranscoded(string json)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>(json.Length);
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            document.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The query as the transcoder binds it, in its plain forms only: repeated <c>type</c>, repeated decimal
    /// <c>index</c>, and <c>true</c>/<c>false</c> for the two flags. Anything else goes to the transcoder, so that its
    /// own parsing and error messages stay the only ones.
    /// </summary>
    private static bool TryReadQuery(IQueryCollection query, out string[] types, out uint[] indexes, out ResolveMode mode)
    {
        types = [];
        indexes = [];
        mode = default;
        if (query.Count == 0)
        {
            return true;
        }

        var authoritative = false;
        var noRecursion = false;
        foreach (var (key, values) in query)
        {
            switch (key)
            {
                case "type":
                    types = values.ToArray()!;
                    break;
                case "index" when TryIndexes(values, out var parsed):
                    indexes = parsed;
                    break;
                case "authoritative" when TryFlag(values, out authoritative):
                case "noRecursion" when TryFlag(values, out noRecursion):
                    break;
                default:
                    return false;
            }
        }

        mode = new ResolveMode(authoritative, noRecursion);
        return true;
    }

    private static bool TryIndexes(StringValues values, out uint[] indexes)
    {
        indexes = new uint[values.Count];
        for (var i = 0; i < indexes.Length; i++)
        {
            if (!uint.TryParse(values[i], NumberStyles.None, CultureInfo.InvariantCulture, out indexes[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryFlag(StringValues values, out bool flag)
    {
        flag = false;
        if (values.Count != 1)
        {
            return false;
        }

        flag = values[0] == "true";
        return flag || values[0] == "false";
    }

    private static RequestDelegate FindTranscoded(WebApplication app)
    {
        foreach (var endpoint in ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints))
        {
            if (endpoint.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is { } metadata
                && metadata.MethodDescriptor.FullName == ResolveMethod && endpoint.RequestDelegate is { } handler)
            {
                return handler;
            }
        }

        throw new InvalidOperationException($"the transcoded endpoint of {ResolveMethod} is not mapped");
    }
}
