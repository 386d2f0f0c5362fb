using System.Security.Cryptography;
using IdResolution.Core.Composition;

namespace IdResolution.Node.Security;

/// <summary>
/// Gives a node its first administrator. Configured (Security:InitialAdministrator:Name and :Password),
/// that account is created when missing. Otherwise a node that has no account at all creates
/// <c>admin</c> with a random password written to a file only the node's user can read (beside the
/// signing keys), and logs where the file is, never the password: a fresh node is usable at once
/// without a default password anyone could guess.
/// </summary>
internal static class InitialAdministrator
{
    public const string GeneratedName = "admin";
    public const string PasswordFileName = "initial-administrator-password";

    public static void Ensure(WebApplication app) => EnsureAsync(app).GetAwaiter().GetResult();

    private static async Task EnsureAsync(WebApplication app)
    {
        var configuration = app.Configuration;
        var core = app.Services.GetRequiredService<CoreServices>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IdResolution.Node");
        var name = configuration["Security:InitialAdministrator:Name"];
        var password = configuration["Security:InitialAdministrator:Password"];
        if (!string.IsNullOrEmpty(name) && !string.IsNullOrEmpty(password))
        {
            if (await core.Accounts.EnsureAdministratorAsync(name, password, CancellationToken.None))
            {
                SecurityLog.AdministratorCreated(logger, name);
            }

            return;
        }

        if (await core.Accounts.AnyAsync(CancellationToken.None))
        {
            return;
        }

        var tokens = app.Services.GetRequiredService<TokenOptions>();
        var file = configuration["Security:InitialAdministrator:PasswordFile"]
            ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokens.KeyRingPath))!, PasswordFileName);
        var generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');

        // The file first: if the node dies in between, the next start simply generates again.
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(file, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(generated);
        }

        await core.Accounts.EnsureAdministratorAsync(GeneratedName, generated, CancellationToken.None);
        SecurityLog.AdministratorGenerated(logger, GeneratedName, Path.GetFullPath(file));
    }
}
