using System.Security.Cryptography;
using IdResolution.Cli.Tests.Infrastructure;

namespace IdResolution.Cli.Tests.Commands;

/// <summary>account, prefix, node and login against a real node process, their --json checked against the schema.</summary>
[Collection(CliNodeCollection.Name)]
public sealed class AdministrationCommandTests(CliNode fixture)
{
    [Fact]
    public async Task Accounts_and_prefixes_are_created_listed_suspended_and_removed()
    {
        var idres = fixture.Admin;
        var created = await idres.RunAsync("acme-password-1\n", TimeSpan.FromMinutes(2), "account", "create", "acme31", "--password-stdin", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal("acme31", OutputSchema.Check("account", created.Output).GetProperty("account").GetProperty("name").GetString());
        var accounts = OutputSchema.Check("accounts", (await idres.RunAsync("account", "list", "--json")).Output);
        Assert.Contains(accounts.GetProperty("accounts").EnumerateArray(), account => account.GetProperty("name").GetString() == "acme31");

        var allocated = await idres.RunAsync("prefix", "allocate", "88.709.31", "--owner", "acme31", "--json");
        Assert.True(allocated.ExitCode == 0, allocated.ToString());
        Assert.Equal("acme31", OutputSchema.Check("prefix", allocated.Output).GetProperty("prefix").GetProperty("owner").GetString());
        var prefixes = OutputSchema.Check("prefixes", (await idres.RunAsync("prefix", "list", "--json")).Output);
        Assert.Contains(prefixes.GetProperty("prefixes").EnumerateArray(), prefix => prefix.GetProperty("prefix").GetString() == "88.709.31");
        var suspended = await idres.RunAsync("prefix", "suspend", "88.709.31", "--json");
        Assert.True(OutputSchema.Check("prefix", suspended.Output).GetProperty("prefix").GetProperty("suspended").GetBoolean(), suspended.ToString());
        var reinstated = await idres.RunAsync("prefix", "suspend", "88.709.31", "--reinstate", "--json");
        Assert.False(OutputSchema.Check("prefix", reinstated.Output).GetProperty("prefix").TryGetProperty("suspended", out _));

        // The account signs in with login into a new profile; its token is kept there, file mode 0600 in a 0700 directory.
        var acme = fixture.Anonymous();
        var login = await acme.RunAsync("acme-password-1\n", TimeSpan.FromMinutes(2), "login", "--profile", "acme31", "--user", "acme31", "--password-stdin", "--json");
        Assert.True(login.ExitCode == 0, login.ToString());
        var configFile = OutputSchema.Check("login", login.Output).GetProperty("configFile").GetString()!;
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(configFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(configFile)!));
        }

        var written = await acme.RunAsync("--profile", "acme31", "register", "88.709.31/LOGIN-1", "-v", "1:URL=https://example.com/login", "--json");
        Assert.True(written.ExitCode == 0, written.ToString());
        var elsewhere = await acme.RunAsync("--profile", "acme31", "register", "88.709.21/NOT-ACME", "-v", "1:URL=https://example.com/x", "--json");
        Assert.Equal(5, elsewhere.ExitCode);
        OutputSchema.Check("error", elsewhere.Output);

        var wrongPassword = await fixture.Anonymous().RunAsync("wrong-password\n", TimeSpan.FromMinutes(2), "login", "--user", "acme31", "--password-stdin", "--json");
        Assert.Equal(5, wrongPassword.ExitCode);
        OutputSchema.Check("error", wrongPassword.Output);

        var refused = await idres.RunAsync("prefix", "remove", "88.709.31", "--json");
        Assert.NotEqual(0, refused.ExitCode);
        OutputSchema.Check("error", refused.Output);
        Assert.Equal(0, (await idres.RunAsync("delete", "88.709.31/LOGIN-1")).ExitCode);
        var removed = await idres.RunAsync("prefix", "remove", "88.709.31", "--json");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        OutputSchema.Check("removed", removed.Output);

        var suspendedAccount = await idres.RunAsync("account", "suspend", "acme31", "--json");
        Assert.True(OutputSchema.Check("account", suspendedAccount.Output).GetProperty("account").GetProperty("suspended").GetBoolean());
        var removedAccount = await idres.RunAsync("account", "remove", "acme31", "--json");
        Assert.True(removedAccount.ExitCode == 0, removedAccount.ToString());
        OutputSchema.Check("removed", removedAccount.Output);
    }

    [Fact]
    public async Task Child_nodes_are_admitted_listed_suspended_and_delegated_to()
    {
        var idres = fixture.Admin;
        var identity = await idres.RunAsync("node", "identity", "--json");
        Assert.True(identity.ExitCode == 0, identity.ToString());
        Assert.Equal("88.709", OutputSchema.Check("nodeIdentity", identity.Output).GetProperty("prefix").GetString());

        using var childKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var credential = "key:" + Convert.ToBase64String(childKey.ExportSubjectPublicKeyInfo());
        var admitted = await idres.RunAsync("node", "admit", "88.709.41", "--name", "enterprise-41", "--credential", credential, "--json");
        Assert.True(admitted.ExitCode == 0, admitted.ToString());
        Assert.Equal("enterprise-41", OutputSchema.Check("node", admitted.Output).GetProperty("node").GetProperty("name").GetString());
        var nodes = OutputSchema.Check("nodes", (await idres.RunAsync("node", "list", "--json")).Output);
        Assert.Contains(nodes.GetProperty("nodes").EnumerateArray(), node => node.GetProperty("prefix").GetString() == "88.709.41");
        var suspended = await idres.RunAsync("node", "suspend", "88.709.41", "--json");
        Assert.True(OutputSchema.Check("node", suspended.Output).GetProperty("node").GetProperty("suspended").GetBoolean(), suspended.ToString());

        var bad = await idres.RunAsync("node", "admit", "88.709.42", "--name", "x", "--credential", "key:not-a-key", "--json");
        Assert.Equal(2, bad.ExitCode);
        OutputSchema.Check("error", bad.Output);

        // delegate runs on the child against its own prefix; this node plays the child of a top level here.
        await idres.RunAsync("owner-password-1\n", TimeSpan.FromMinutes(2), "account", "create", "owner43", "--password-stdin");
        var delegated = await idres.RunAsync("node", "delegate", "88.709.43", "--owner", "owner43", "--json");
        Assert.True(delegated.ExitCode == 0, delegated.ToString());
        Assert.Equal("owner43", OutputSchema.Check("prefix", delegated.Output).GetProperty("prefix").GetProperty("owner").GetString());
    }
}
