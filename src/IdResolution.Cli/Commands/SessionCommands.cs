using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IdResolution.Cli.Connection;
using IdResolution.Cli.Output;
using IdResolution.Contracts.V1;
using Spectre.Console;

namespace IdResolution.Cli.Commands;

/// <summary><c>idres login</c> (a token kept per profile) and <c>idres status</c> (the node's health at a glance).</summary>
internal static class SessionCommands
{
    public static Command Login()
    {
        var user = new Option<string>("--user", "-u") { Description = "The account to sign in as", Required = true };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input" };
        var command = new Command("login", "Sign in and keep the token (and the endpoints given) in the profile, in the user's config file (mode 0600)") { user, passwordStdin };
        Invocation.Bind(command, async run =>
        {
            var settings = run.SettingsForNewProfile();
            var password = Passwords.Read(run, run.Get(passwordStdin), $"password for {run.Get(user)}:");
            var (token, expiresAt) = await TokenClient.SignInAsync(settings, run.Get(user), password, run.Stop);
            var previous = run.Config.Find(settings.ProfileName);
            run.Config.Save(settings.ProfileName, new Connection.Profile
            {
                Grpc = settings.Grpc.OriginalString,
                Http = settings.Http.OriginalString,
                CaCertificate = settings.CaCertificate is null ? previous?.CaCertificate : Path.GetFullPath(settings.CaCertificate),
                Token = token,
                User = run.Get(user),
                TokenExpiresAt = expiresAt,
            });
            if (run.Terminal.Json)
            {
                Terminal.WriteJson(new JsonObject
                {
                    ["profile"] = settings.ProfileName,
                    ["user"] = run.Get(user),
                    ["grpc"] = settings.Grpc.OriginalString,
                    ["http"] = settings.Http.OriginalString,
                    ["expiresAt"] = expiresAt?.ToString("o", CultureInfo.InvariantCulture),
                    ["configFile"] = run.Config.FilePath,
                });
            }
            else
            {
                var until = expiresAt is { } at ? $" until {at.ToString("u", CultureInfo.InvariantCulture)}" : string.Empty;
                Terminal.Line($"signed in as {run.Get(user)} on {settings.Http} (profile {settings.ProfileName}, token kept in {run.Config.FilePath}{until})");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Status()
    {
        var command = new Command("status", "The node's health, dependencies and headline figures (GET /v1/admin/status)");
        Invocation.Bind(command, async run =>
        {
            var reply = await run.Node.Administration.GetStatusAsync(new GetStatusRequest(), run.Call());
            if (run.Terminal.Json)
            {
                Terminal.WriteJson(ProtoJson.Node(reply));
                return ExitCodes.Success;
            }

            var figures = reply.Figures ?? new StatusFigures();
            Terminal.Line($"{reply.Prefix} ({reply.Role}, version {reply.Version}): {reply.Health}, up {TimeSpan.FromSeconds(Math.Floor(reply.UptimeSeconds))}");
            Terminal.Line(string.Create(CultureInfo.InvariantCulture,
                $"last minute: {figures.ResolutionsPerSecond:N1} resolutions/s (p50 {figures.ResolveP50Ms:N1} ms, p99 {figures.ResolveP99Ms:N1} ms), {figures.RegistrationsPerSecond:N1} registrations/s"));
            var dependencies = new Table().AddColumns("dependency", "state", "latency", "detail");
            foreach (var dependency in reply.Dependencies)
            {
                dependencies.AddRow(Markup.Escape(dependency.Name), Markup.Escape(dependency.State),
                    dependency.LatencyMs.ToString("N1", CultureInfo.InvariantCulture) + " ms", Markup.Escape(dependency.Detail));
            }

            run.Terminal.Out.Write(dependencies);
            if (reply.Children.Count > 0)
            {
                var children = new Table().AddColumns("child", "name", "status", "availability");
                foreach (var child in reply.Children)
                {
                    children.AddRow(Markup.Escape(child.Prefix), Markup.Escape(child.Name), Markup.Escape(child.Status), Availability(child));
                }

                run.Terminal.Out.Write(children);
            }

            return reply.Health == "Unhealthy" ? ExitCodes.Unavailable : ExitCodes.Success;
        });
        return command;
    }

    // Absent is "no figure yet", not 0 %: a child down all month and one with no report yet must read differently.
    private static string Availability(ChildNodeStatus child) =>
        child.HasAvailabilityPercent ? child.AvailabilityPercent.ToString("N2", CultureInfo.InvariantCulture) + " %" : "no figure yet";
}
