using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using IdResolution.Node.Security;
using IdResolution.Node.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace IdResolution.Node.Tests.Security;

/// <summary>
/// The node on real Kestrel (in this process, on loopback ports) with TLS from a PKCS#12 file,
/// client certificates allowed, one child node admitted by its certificate (prefix 88.709.77), and
/// credentials refused over plain HTTP. A
/// test-only endpoint, <c>/test/whoami</c>, reports what the scheme chosen by
/// <see cref="HandleSchemes.SelectScheme"/> made of the request, and <c>/test/challenge</c> runs
/// that scheme's challenge, since no endpoint of this branch requires authentication yet.
/// </summary>
public sealed class TlsNode : IAsyncLifetime
{
    public const string WhoAmIPath = "/test/whoami";
    public const string ChallengePath = "/test/challenge";
    public const string TrustedPrefix = "88.709.77";
    public const string AdmittedNodeName = "node " + TrustedPrefix;
    private const string Password = "pfx-pass";

    private readonly TempDirectory _files = new();
    private readonly NodeFactory _root = new();
    private WebApplicationFactory<Program>? _host;

    public X509Certificate2 ServerCertificate { get; } = TestCertificates.Server();

    public X509Certificate2 TrustedClient { get; } = TestCertificates.Client("node-b.example");

    public X509Certificate2 UntrustedClient { get; } = TestCertificates.Client("intruder.example");

    public int HttpPort { get; } = TestCertificates.FreePort();

    public int GrpcPort { get; } = TestCertificates.FreePort();

    public async ValueTask InitializeAsync()
    {
        _root
            .With("Node:HttpPort", HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Node:GrpcPort", GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Node:Tls:CertificatePath", TestCertificates.WritePfx(ServerCertificate, _files.Path, Password))
            .With("Node:Tls:Password", Password)
            .With("Node:Tls:ClientCertificates", "Allow")
            .With("Security:AllowCredentialsOverPlainHttp", "false");
        _host = _root.WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, WhoAmIEndpoint>()));
        _host.UseKestrel();
        _host.StartServer();
        await AdmitAsync(TrustedPrefix, "cert:" + TrustedClient.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
    }

    /// <summary>Admits a child node with <paramref name="credentials"/> through the administration API.</summary>
    public async Task AdmitAsync(string prefix, params string[] credentials)
    {
        using var client = Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await AdminTokenAsync());
        using var admitted = await client.PostAsJsonAsync("/v1/admin/nodes", new { prefix, name = "child " + prefix, credentials });
        admitted.EnsureSuccessStatusCode();
    }

    /// <summary>A token of the node's first administrator, for the writes that set tests up.</summary>
    public async Task<string> AdminTokenAsync()
    {
        using var client = Client();
        return await Tokens.GetAsync(client, Tokens.AdministratorName, Tokens.AdministratorPassword);
    }

    public HttpClient Client(X509Certificate2? clientCertificate = null, int? port = null) =>
        new(TestCertificates.Handler(ServerCertificate, clientCertificate)) { BaseAddress = new Uri($"https://127.0.0.1:{port ?? HttpPort}") };

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _root.DisposeAsync();
        _files.Dispose();
        ServerCertificate.Dispose();
        TrustedClient.Dispose();
        UntrustedClient.Dispose();
    }

    /// <summary>What <c>/test/whoami</c> answers.</summary>
    public sealed record WhoAmI(string? Scheme, bool Succeeded, string? Name, string? Kind, string? Failure);

    private sealed class WhoAmIEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Path == ChallengePath)
                {
                    await context.ChallengeAsync(HandleSchemes.SelectScheme(context) ?? HandleSchemes.Challenge);
                    return;
                }

                if (context.Request.Path != WhoAmIPath)
                {
                    await nextMiddleware(context);
                    return;
                }

                var scheme = HandleSchemes.SelectScheme(context);
                var result = scheme is null ? AuthenticateResult.NoResult() : await context.AuthenticateAsync(scheme);
                var answer = new WhoAmI(scheme, result.Succeeded, result.Principal?.Identity?.Name,
                    result.Principal?.FindFirstValue(NodeClaims.Kind), result.Failure?.Message);
                await context.Response.WriteAsJsonAsync(answer);
            });
            next(app);
        };
    }
}
