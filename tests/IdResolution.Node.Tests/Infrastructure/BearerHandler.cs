using System.Net.Http.Headers;

namespace IdResolution.Node.Tests.Infrastructure;

/// <summary>Adds a bearer token to every request, for gRPC channels and JSON clients alike.</summary>
public sealed class BearerHandler(string token, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return base.SendAsync(request, cancellationToken);
    }
}
