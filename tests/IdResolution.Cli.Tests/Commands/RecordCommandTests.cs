using IdResolution.Cli.Tests.Infrastructure;

namespace IdResolution.Cli.Tests.Commands;

/// <summary>resolve, register, update, delete and list against a real node process, their --json checked against the schema.</summary>
[Collection(CliNodeCollection.Name)]
public sealed class RecordCommandTests(CliNode fixture)
{
    [Fact]
    public async Task Register_resolve_update_list_and_delete_a_record_with_json_output()
    {
        var idres = fixture.Admin;
        var registered = await idres.RunAsync("register", "88.709.22/REC-1", "-v", "1:URL=https://example.com/rec-1", "-v", "2:EMAIL=rec@example.com", "--json");
        Assert.True(registered.ExitCode == 0, registered.ToString());
        var record = OutputSchema.Check("register", registered.Output);
        Assert.True(record.GetProperty("created").GetBoolean());
        Assert.Equal(2, record.GetProperty("values").GetArrayLength());

        var again = await idres.RunAsync("register", "88.709.22/REC-1", "-v", "1:URL=https://example.com/rec-1", "-v", "2:EMAIL=rec@example.com", "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.False(OutputSchema.Check("register", again.Output).TryGetProperty("created", out _), "a repeated create with the stored values changes nothing");

        var resolved = await idres.RunAsync("resolve", "88.709.22/rec-1", "--type", "URL", "--json");
        Assert.True(resolved.ExitCode == 0, resolved.ToString());
        var result = OutputSchema.Check("resolve", resolved.Output).GetProperty("results")[0];
        Assert.Equal("88.709.22/REC-1", result.GetProperty("handle").GetString());
        Assert.Equal("https://example.com/rec-1", Assert.Single(result.GetProperty("values").EnumerateArray()).GetProperty("data").GetProperty("string").GetString());

        var updated = await idres.RunAsync("update", "88.709.22/REC-1", "--set", "3:DESC=third", "--remove", "2", "--json");
        Assert.True(updated.ExitCode == 0, updated.ToString());
        OutputSchema.Check("update", updated.Output);
        var afterUpdate = OutputSchema.Check("resolve", (await idres.RunAsync("resolve", "88.709.22/REC-1", "--authoritative", "--json")).Output);
        Assert.Equal([1u, 3u], afterUpdate.GetProperty("results")[0].GetProperty("values").EnumerateArray().Select(value => value.GetProperty("index").GetUInt32()));

        await idres.RunAsync("register", "88.709.22/REC-2", "-v", "1:URL=https://example.com/rec-2");
        var listed = await idres.RunAsync("list", "88.709.22", "--page-size", "1", "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        var page = OutputSchema.Check("list", listed.Output);
        Assert.Equal(["88.709.22/REC-1"], page.GetProperty("handles").EnumerateArray().Select(handle => handle.GetString()));
        var all = OutputSchema.Check("list", (await idres.RunAsync("list", "88.709.22", "--page-size", "1", "--all", "--json")).Output);
        Assert.Equal(["88.709.22/REC-1", "88.709.22/REC-2"], all.GetProperty("handles").EnumerateArray().Select(handle => handle.GetString()));
        Assert.False(all.TryGetProperty("nextPageToken", out _));

        var deleted = await idres.RunAsync("delete", "88.709.22/REC-1", "88.709.22/REC-2", "--json");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal(2, OutputSchema.Check("delete", deleted.Output).GetProperty("succeeded").GetInt32());
        var gone = await idres.RunAsync("resolve", "88.709.22/REC-1", "--json");
        Assert.Equal(3, gone.ExitCode);
        Assert.Equal(100, OutputSchema.Check("error", gone.Output).GetProperty("error").GetProperty("responseCode").GetInt32());
    }

    [Fact]
    public async Task Human_output_shows_the_values_and_errors_go_to_standard_error()
    {
        var idres = fixture.Admin;
        Assert.Equal(0, (await idres.RunAsync("register", "88.709.21/HUMAN-1", "-v", "1:URL=https://example.com/human")).ExitCode);
        var resolved = await idres.RunAsync("resolve", "88.709.21/HUMAN-1");
        Assert.Contains("https://example.com/human", resolved.Output, StringComparison.Ordinal);
        Assert.Contains("86400 s", resolved.Output, StringComparison.Ordinal);

        var missing = await idres.RunAsync("resolve", "88.709.21/NO-SUCH");
        Assert.Equal(3, missing.ExitCode);
        Assert.Equal(string.Empty, missing.Output);
        Assert.Contains("Handle code 100", missing.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exit_codes_say_what_kind_of_failure_it_was()
    {
        var idres = fixture.Admin;
        await idres.RunAsync("register", "88.709.21/EXIT-1", "-v", "1:URL=https://example.com/exit-1");

        // Several handles, one missing: the batch answers both, and the run counts as partly failed.
        var partly = await idres.RunAsync("resolve", "88.709.21/EXIT-1", "88.709.21/EXIT-MISSING", "--json");
        Assert.Equal(1, partly.ExitCode);
        var results = OutputSchema.Check("resolve", partly.Output).GetProperty("results");
        Assert.Equal([1, 100], results.EnumerateArray().Select(result => result.GetProperty("responseCode").GetInt32()));

        var conflict = await idres.RunAsync("register", "88.709.21/EXIT-1", "-v", "1:URL=https://example.com/other", "--json");
        Assert.Equal(4, conflict.ExitCode);
        Assert.Equal(101, OutputSchema.Check("error", conflict.Output).GetProperty("error").GetProperty("responseCode").GetInt32());

        var badValue = await idres.RunAsync("register", "88.709.21/EXIT-2", "-v", "URL=no-index", "--json");
        Assert.Equal(2, badValue.ExitCode);
        OutputSchema.Check("error", badValue.Output);

        var unknownOption = await idres.RunAsync("list", "88.709.21", "--no-such-option", "--json");
        Assert.Equal(2, unknownOption.ExitCode);
        OutputSchema.Check("error", unknownOption.Output);

        var anonymous = await fixture.Anonymous().RunAsync("register", "88.709.21/EXIT-3", "-v", "1:URL=https://example.com/x", "--json");
        Assert.Equal(5, anonymous.ExitCode);
        Assert.Equal(402, OutputSchema.Check("error", anonymous.Output).GetProperty("error").GetProperty("responseCode").GetInt32());

        var unreachable = await new Idres(idres.ConfigDirectory, "http://127.0.0.1:1", "http://127.0.0.1:1").RunAsync("resolve", "88.709.21/EXIT-1", "--json");
        Assert.Equal(6, unreachable.ExitCode);
        Assert.Equal("UNAVAILABLE", OutputSchema.Check("error", unreachable.Output).GetProperty("error").GetProperty("status").GetString());
    }
}
