using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace IdResolution.Node.Hosting;

/// <summary>
/// How a client authenticates, as the OpenAPI document declares it, so that generated clients can
/// send credentials: bearer tokens from <c>POST /identity/token</c>, Handle.Net's two HTTP schemes, and admitted child nodes' assertions.
/// Every scheme is accepted on every HTTP surface.
/// </summary>
internal static class ApiSecurity
{
    private const string Bearer = "bearer";
    private const string HandleBasic = "handleBasic";
    private const string HandleChallenge = "handle";
    private const string Node = "idresNode";

    public static void AddSecuritySchemes(this SwaggerGenOptions options)
    {
        options.AddSecurityDefinition(Bearer, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A token from POST /identity/token (valid 24 h by default).",
        });
        options.AddSecurityDefinition(HandleBasic, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "basic",
            Description = "Handle.Net's HS_SECKEY authentication: the user name is the URL-encoded `index:handle` of the secret key value, the password the secret.",
        });
        // Handle.Net's challenge-response scheme is not registered with IANA, so no generic client
        // can answer it; it is declared so that the document names every credential the node takes.
        options.AddSecurityDefinition(HandleChallenge, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "Handle",
            Description = "Handle.Net's challenge: answer `WWW-Authenticate: Handle sessionId, nonce` with an HS_PUBKEY signature or HS_SECKEY HMAC, "
                + "then send `Authorization: Handle sessionId=\"…\"` while the session lasts.",
        });
        options.AddSecurityDefinition(Node, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "IdresNode",
            Description = "A child node this node admitted: a compact ES256 JWS signed with its node key (iss its prefix, aud idresolution-federation, "
                + "at most 2 minutes valid). A TLS client certificate admitted as the node's `cert:` credential authenticates it too.",
        });
    }

    /// <summary>Any one of the schemes; with <paramref name="anonymous"/>, no credentials at all too (resolution is public).</summary>
    public static List<OpenApiSecurityRequirement> AnyScheme(bool anonymous)
    {
        var requirements = new[] { Bearer, HandleBasic, HandleChallenge, Node }
            .Select(scheme => new OpenApiSecurityRequirement { [Reference(scheme)] = [] })
            .ToList();
        if (anonymous)
        {
            requirements.Add(new OpenApiSecurityRequirement());
        }

        return requirements;
    }

    private static OpenApiSecurityScheme Reference(string scheme) =>
        new() { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = scheme } };
}
