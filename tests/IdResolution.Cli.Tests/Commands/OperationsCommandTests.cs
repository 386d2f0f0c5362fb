using System.Globalization;
using System.Text.Json;
using IdResolution.Caching.Redis.Tests.Support;
using IdResolution.Cli.Tests.Infrastructure;

namespace IdResolution.Cli.Tests.Commands;

/// <summary>status and report against a real node process, their --json checked against the schema and against the node's own figures.</summary>
[Collection(CliNodeCollection.Name)]
public sealed class OperationsCommandTests(CliNode fixture)
{
    private const int Resolutions = 6;

    private static string ThisMonth => DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Status_counts_the_resolutions_made_before_it_and_its_json_is_a_valid_status_document()
    {
        var idres = fixture.Admin;
        var before = await StatusAsync(idres);
        var handles = Enumerable.Range(0, Resolutions).Select(i => $"88.709.81/STATUS-{i}").ToArray();
        foreach (var handle in handles)
        {
            Assert.Equal(0, (await idres.RunAsync("register", handle, "-v", "1:URL=https://example.com/status")).ExitCode);
        }

        var resolved = await idres.RunAsync(["resolve", .. handles, "--json"]);
        Assert.True(resolved.ExitCode == 0, resolved.ToString());

        JsonElement after = default;
        await Poll.UntilAsync(async () => Total(after = await StatusAsync(idres), "resolutionsTotal") >= Total(before, "resolutionsTotal") + Resolutions,
            $"status counts the {Resolutions} resolutions");
        Assert.Equal("88.709", after.GetProperty("prefix").GetString());
        Assert.True(Total(after, "registrationsTotal") >= Total(before, "registrationsTotal") + Resolutions, after.ToString());
        Assert.Contains(after.GetProperty("dependencies").EnumerateArray(), d => d.GetProperty("name").GetString() == "store" && d.GetProperty("state").GetString() == "up");

        var human = await idres.RunAsync("status");
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains("88.709 (", human.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_prints_the_months_markdown_or_a_valid_report_document_and_refuses_a_bad_month_or_an_unknown_node()
    {
        var idres = fixture.Admin;
        var json = await idres.RunAsync("report", ThisMonth, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var report = OutputSchema.Check("report", json.Output);
        Assert.Equal(("88.709", ThisMonth), (report.GetProperty("node").GetString(), report.GetProperty("month").GetString()));
        Assert.True(report.GetProperty("observedUntil").GetDateTimeOffset() > report.GetProperty("observedFrom").GetDateTimeOffset(), report.ToString());
        Assert.False(report.TryGetProperty("markdown", out _), "--json alone carries the fields, not the document");

        var withDocument = OutputSchema.Check("report", (await idres.RunAsync("report", ThisMonth, "--format", "markdown", "--json")).Output);
        Assert.StartsWith($"# Monthly report {ThisMonth}", withDocument.GetProperty("markdown").GetString(), StringComparison.Ordinal);

        var human = await idres.RunAsync("report", ThisMonth, "--node", "88.709");
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.StartsWith($"# Monthly report {ThisMonth} — node 88.709", human.Output, StringComparison.Ordinal);
        var fields = await idres.RunAsync("report", ThisMonth, "--format", "json");
        Assert.Equal(ThisMonth, OutputSchema.Check("report", fields.Output).GetProperty("month").GetString());

        var badMonth = await idres.RunAsync("report", "2026-13", "--json");
        Assert.Equal(2, badMonth.ExitCode);
        Assert.Equal(202, OutputSchema.Check("error", badMonth.Output).GetProperty("error").GetProperty("responseCode").GetInt32());
        var badFormat = await idres.RunAsync("report", ThisMonth, "--format", "html", "--json");
        Assert.Equal(2, badFormat.ExitCode);
        OutputSchema.Check("error", badFormat.Output);
        var unknown = await idres.RunAsync("report", ThisMonth, "--node", "88.999", "--json");
        Assert.Equal(3, unknown.ExitCode);
        Assert.Equal(100, OutputSchema.Check("error", unknown.Output).GetProperty("error").GetProperty("responseCode").GetInt32());
        var anonymous = await fixture.Anonymous().RunAsync("report", ThisMonth, "--json");
        Assert.Equal(5, anonymous.ExitCode);
        OutputSchema.Check("error", anonymous.Output);
    }

    private static async Task<JsonElement> StatusAsync(Idres idres)
    {
        var status = await idres.RunAsync("status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        return OutputSchema.Check("status", status.Output);
    }

    /// <summary>A uint64 figure, which the JSON API writes as a string and leaves out at zero.</summary>
    private static ulong Total(JsonElement status, string figure) =>
        status.TryGetProperty("figures", out var figures) && figures.TryGetProperty(figure, out var value) ? ulong.Parse(value.GetString()!, CultureInfo.InvariantCulture) : 0;
}
