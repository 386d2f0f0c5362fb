using System.Security.Cryptography;
using IdResolution.Cli.Tests.Infrastructure;

namespace IdResolution.Cli.Tests.Commands;

/// <summary>node takeover, hand-back and takeover-status against a real node process, their --json checked against the schema.</summary>
[Collection(CliNodeCollection.Name)]
public sealed class TakeoverCommandTests(CliNode fixture)
{
    [Fact]
    public async Task A_child_is_taken_over_and_handed_back_and_each_wrong_step_is_refused()
    {
        var idres = fixture.Admin;
        using var childKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var admitted = await idres.RunAsync("node", "admit", "88.709.71", "--name", "enterprise-71", "--credential", "key:" + Convert.ToBase64String(childKey.ExportSubjectPublicKeyInfo()));
        Assert.True(admitted.ExitCode == 0, admitted.ToString());

        var status = await idres.RunAsync("node", "takeover-status", "88.709.71", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal("none", OutputSchema.Check("takeover", status.Output).GetProperty("takeover").GetProperty("state").GetString());
        var human = await idres.RunAsync("node", "takeover-status", "88.709.71");
        Assert.Contains("state       none", human.Output, StringComparison.Ordinal);

        var notAdmitted = await idres.RunAsync("node", "takeover", "88.709.79", "--reason", "no such child", "--json");
        Assert.Equal(3, notAdmitted.ExitCode);
        OutputSchema.Check("error", notAdmitted.Output);
        Assert.Equal(2, (await idres.RunAsync("node", "takeover", "88.709.71", "--json")).ExitCode);

        var notTakenOver = await idres.RunAsync("node", "hand-back", "88.709.71", "--force", "--json");
        Assert.Equal(3, notTakenOver.ExitCode);
        var notTakenOverError = OutputSchema.Check("error", notTakenOver.Output).GetProperty("error");
        Assert.Equal(("FAILED_PRECONDITION", 200), (notTakenOverError.GetProperty("status").GetString(), notTakenOverError.GetProperty("responseCode").GetInt32()));

        var declared = await idres.RunAsync("node", "takeover", "88.709.71", "--reason", "enterprise-71 lost its disk", "--json");
        Assert.True(declared.ExitCode == 0, declared.ToString());
        var takeover = OutputSchema.Check("takeover", declared.Output).GetProperty("takeover");
        Assert.Equal(("taken_over", "enterprise-71 lost its disk"), (takeover.GetProperty("state").GetString(), takeover.GetProperty("reason").GetString()));
        var again = await idres.RunAsync("node", "takeover", "88.709.71", "--reason", "twice", "--json");
        Assert.Equal(4, again.ExitCode);
        var status2 = OutputSchema.Check("takeover", (await idres.RunAsync("node", "takeover-status", "88.709.71", "--json")).Output).GetProperty("takeover");
        Assert.Equal("taken_over", status2.GetProperty("state").GetString());

        // The child never reported its change-log position, so the escrow cannot be shown complete: refused unless forced.
        var early = await idres.RunAsync("node", "hand-back", "88.709.71", "--json");
        Assert.Equal(8, early.ExitCode);
        var behind = OutputSchema.Check("error", early.Output).GetProperty("error");
        Assert.Equal(("FAILED_PRECONDITION", 2), (behind.GetProperty("status").GetString(), behind.GetProperty("responseCode").GetInt32()));
        var back = await idres.RunAsync("node", "hand-back", "88.709.71", "--force", "--reason", "restored", "--json");
        Assert.True(back.ExitCode == 0, back.ToString());
        var handedBack = OutputSchema.Check("takeover", back.Output).GetProperty("takeover");
        Assert.Equal(("handed_back", true), (handedBack.GetProperty("state").GetString(), handedBack.GetProperty("forced").GetBoolean()));
    }
}
