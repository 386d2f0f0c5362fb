using System.Net.Http.Json;
using System.Text.Json;

namespace IdResolution.Node.Tests.Infrastructure;

/// <summary>Gets bearer tokens the way clients do: POST /identity/token.</summary>
public static class Tokens
{
    public const string AdministratorName = "root";
    public const string AdministratorPassword = "root-password-for-tests";

    public static async Task<string> GetAsync(HttpClient http, string name, string password)
    {
        ArgumentNullException.ThrowIfNull(http);
        var response = await http.PostAsJsonAsync("/identity/token", new { username = name, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("data").GetProperty("token").GetString()!;
    }

    /// <summary>Settings that give a test node its first administrator, cheap password hashing and its own key ring, node key audit directory and operations journal.</summary>
    public static IEnumerable<KeyValuePair<string, string>> NodeSettings(string directory) =>
    [
        new("Security:InitialAdministrator:Name", AdministratorName),
        new("Security:InitialAdministrator:Password", AdministratorPassword),
        new("Security:PasswordIterations", "1000"),
        new("Security:Tokens:KeyRingPath", Path.Combine(directory, "keys", "signing-keys.json")),
        new("Security:AuditPath", Path.Combine(directory, "audit")),
        new("Duties:JournalPath", Path.Combine(directory, "operations")),
        new("Federation:NodeKeyPath", Path.Combine(directory, "keys", "node-key.pem")),
    ];
}
