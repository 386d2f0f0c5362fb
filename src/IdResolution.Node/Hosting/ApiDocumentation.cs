using Microsoft.OpenApi.Models;

namespace IdResolution.Node.Hosting;

/// <summary>
/// The OpenAPI 3 document of the HTTP surfaces (the gRPC services as transcoded to JSON, and the
/// plain HTTP endpoints) at <c>/openapi/v1.json</c>, and a reference page for it at <c>/docs</c>
/// whose assets ship inside the node, so it works without internet access.
/// </summary>
internal static class ApiDocumentation
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string PagePath = "docs";

    public static void AddApiDocumentation(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddGrpcSwagger();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "IdResolution node",
                Version = "v1",
                Description = "Identifier resolution and registration (Handle data model). The same operations are served over gRPC on the gRPC port.",
            });

            // Relative: the API is wherever this document was fetched from, whatever name or proxy that was.
            options.AddServer(new OpenApiServer { Url = "/", Description = "This node's HTTP port (gRPC is served on its gRPC port)." });
            options.AddSecuritySchemes();
            // The node's own comments, and the contracts' (protoc turns the proto comments into XML docs),
            // which name the gRPC services (one tag each) and describe their methods.
            var nodeComments = Path.Combine(AppContext.BaseDirectory, "IdResolution.Node.xml");
            if (File.Exists(nodeComments))
            {
                options.IncludeXmlComments(nodeComments);
            }

            var contractComments = Path.Combine(AppContext.BaseDirectory, "IdResolution.Contracts.xml");
            if (File.Exists(contractComments))
            {
                options.IncludeXmlComments(contractComments);
                options.IncludeGrpcXmlComments(contractComments, includeControllerXmlComments: true);
            }

            // After the XML comments, so that the endpoints described by hand keep their own summaries.
            options.OperationFilter<TranscodedOperationFilter>();
            options.OperationFilter<HandleRestOperationFilter>();
            options.OperationFilter<TokenOperationFilter>();
        });
    }

    public static void MapApiDocumentation(this WebApplication app)
    {
        // Only requests for the documents reach these middlewares: they match every path against route templates
        // and a regular expression, which cost the resolution routes about 2 % of the node's time for nothing.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/openapi") || context.Request.Path.StartsWithSegments("/" + PagePath), documents =>
        {
            documents.UseSwagger(options => options.RouteTemplate = "openapi/{documentName}.json");
            documents.UseSwaggerUI(options =>
            {
                options.RoutePrefix = PagePath;
                options.SwaggerEndpoint(DocumentPath, "IdResolution node v1");
                options.DocumentTitle = "IdResolution node API";
            });
        });
    }
}
