using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace IdResolution.Cli.Connection;

/// <summary>Signs in the way every client does: <c>POST /identity/token</c> on the node's HTTP endpoint.</summary>
internal static class TokenClient
{
    public static async Task<(string Token, DateTimeOffset? ExpiresAt)> SignInAsync(ConnectionSettings settings, string user, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var http = new HttpClient(NodeConnection.CreateHandler(settings)) { BaseAddress = settings.Http, Timeout = settings.Timeout };
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync("/identity/token", new Dictionary<string, string> { ["username"] = user, ["password"] = password }, cancellationToken);
        }
        catch (HttpRequestException unreachable)
        {
            throw new CliFailure(ExitCodes.Unavailable, $"cannot reach the node at {settings.Http}: {unreachable.Message}", inner: unreachable);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliFailure(ExitCodes.Unavailable, $"the node at {settings.Http} did not answer in time (raise --timeout)");
        }

        using (response)
        {
            JsonElement body;
            try
            {
                body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            }
            catch (JsonException)
            {
                throw new CliFailure(ExitCodes.Failed, $"{settings.Http} answered HTTP {(int)response.StatusCode} without the token API's JSON; is it the node's HTTP endpoint?");
            }

            var message = body.TryGetProperty("message", out var text) ? text.GetString() : null;
            if (!response.IsSuccessStatusCode || !body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                var exitCode = (int)response.StatusCode switch
                {
                    401 => ExitCodes.Refused,
                    400 => ExitCodes.Usage,
                    503 or 429 => ExitCodes.Unavailable,
                    _ => ExitCodes.Failed,
                };
                throw new CliFailure(exitCode, $"sign-in refused: {message ?? "HTTP " + (int)response.StatusCode}", exitCode == ExitCodes.Refused ? "UNAUTHENTICATED" : null, exitCode == ExitCodes.Refused ? 402 : 0);
            }

            var token = data.GetProperty("token").GetString() ?? throw new CliFailure("the node's answer had no token");
            return (token, ExpiryOf(token));
        }
    }

    /// <summary>The token's "exp" claim, read without checking the signature (the node checks it).</summary>
    public static DateTimeOffset? ExpiryOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return claims.RootElement.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
