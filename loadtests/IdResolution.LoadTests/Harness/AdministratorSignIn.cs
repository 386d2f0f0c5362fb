using System.Net.Http.Json;
using Grpc.Core;

namespace IdResolution.LoadTests.Harness;

/// <summary>Signs in as a node's generated administrator (<c>admin</c>) the way clients do, for the calls that write.</summary>
internal static class AdministratorSignIn
{
    public const string Name = "admin";

    /// <summary>The bearer token as gRPC call metadata.</summary>
    public static async Task<Metadata> SignInAsync(HttpClient http, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var reply = await http.PostAsJsonAsync("/identity/token", new { username = Name, password }, cancellationToken);
        reply.EnsureSuccessStatusCode();
        var token = (await reply.Content.ReadFromJsonAsync<TokenEnvelope>(cancellationToken))?.Data?.Token
            ?? throw new InvalidOperationException($"no token in the sign-in answer of {http.BaseAddress}");
        return new Metadata { { "authorization", "Bearer " + token } };
    }

    /// <summary>The token endpoint's answer: <c>{"status":1,"message":"success","data":{"token":...}}</c>.</summary>
    private sealed record TokenEnvelope(int Status, TokenData? Data);

    private sealed record TokenData(string Token);
}
