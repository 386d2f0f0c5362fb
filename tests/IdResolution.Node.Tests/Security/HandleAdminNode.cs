using System.Security.Cryptography;
using Grpc.Net.Client;
using IdResolution.Contracts.V1;
using IdResolution.Core.Security;
using IdResolution.Node.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdResolution.Node.Tests.Security;

/// <summary>
/// The real host over a real embedded store, on a fake clock, holding the admin handle
/// <c>0.NA/88.709.911</c> with an RSA key at 300 (HS_PUBKEY) and the secret "s3cret" at 301
/// (HS_SECKEY), both readable by admins only. Authentication is driven through the host's own
/// <see cref="IAuthenticationService"/>, as the authentication middleware drives it.
/// </summary>
public sealed class HandleAdminNode : IAsyncLifetime
{
    public const string AdminHandle = "0.NA/88.709.911";
    public const string Secret = "s3cret";

    private readonly NodeFactory _root = new();
    private GrpcChannel? _channel;

    public HandleAdminNode()
    {
        Host = _root.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time)));
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public RSA Key { get; } = RSA.Create(2048);

    public WebApplicationFactory<Program> Host { get; }

    public async ValueTask InitializeAsync()
    {
        var token = await Tokens.GetAsync(Host.CreateClient(), Tokens.AdministratorName, Tokens.AdministratorPassword);
        _channel = GrpcChannel.ForAddress(Host.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = new BearerHandler(token, Host.Server.CreateHandler()) });
        var publicKey = Values.Binary(300, "HS_PUBKEY", PublicKeyValue.EncodeRsa(Key));
        publicKey.Permissions = "1100";
        var secret = Values.Text(301, "HS_SECKEY", Secret);
        secret.Permissions = "1100";
        await new Registry.RegistryClient(_channel).CreateHandleAsync(
            Values.Create(AdminHandle, Values.Admin(100, AdminHandle, 300, "011111111111"), publicKey, secret),
            cancellationToken: TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        await Host.DisposeAsync();
        await _root.DisposeAsync();
        Key.Dispose();
    }

    /// <summary>A request to the host as the authentication middleware sees it: HTTPS unless told otherwise.</summary>
    public static HttpContext Request(WebApplicationFactory<Program> host, string? authorization, bool https = true)
    {
        ArgumentNullException.ThrowIfNull(host);
        var context = new DefaultHttpContext { RequestServices = host.Services.CreateScope().ServiceProvider };
        context.Request.Scheme = https ? "https" : "http";
        context.Request.Method = "PUT";
        context.Request.Path = "/v1/handles/88.709.911/x";
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        return context;
    }

    public HttpContext Request(string? authorization, bool https = true) => Request(Host, authorization, https);

    public static Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string scheme) =>
        context.RequestServices.GetRequiredService<IAuthenticationService>().AuthenticateAsync(context, scheme);

    public Task<AuthenticateResult> AuthenticateAsync(string scheme, string? authorization, bool https = true) =>
        AuthenticateAsync(Request(authorization, https), scheme);

    /// <summary>Runs the scheme's challenge and returns the response it produced.</summary>
    public static async Task<HttpResponse> ChallengeAsync(HttpContext context, string scheme)
    {
        await context.RequestServices.GetRequiredService<IAuthenticationService>().ChallengeAsync(context, scheme, null);
        return context.Response;
    }
}
