using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Duties;

/// <summary>Declared maintenance and monthly reports through the node's administration API, JSON and gRPC.</summary>
public sealed class OperationsReportingTests
{
    [Fact]
    public async Task A_declared_window_shows_in_this_nodes_report_of_the_month_as_json_and_markdown()
    {
        using var node = new NodeFactory();
        using var http = node.CreateAdminClient();
        // Begun a minute ago (so declared late, listed but not excluded) and still running: within the observed month so far.
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        var month = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        using var declared = await http.PostAsJsonAsync("/v1/admin/maintenance", new { start, end = start.AddMinutes(30), reason = "kernel update" }, TestContext.Current.CancellationToken);
        Assert.True(declared.StatusCode == HttpStatusCode.OK, await declared.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var report = await new OperationsAdministration.OperationsAdministrationClient(node.Channel)
            .GetMonthlyReportAsync(new GetMonthlyReportRequest { Month = month, Format = "markdown" }, cancellationToken: TestContext.Current.CancellationToken);
        var json = await http.GetFromJsonAsync<JsonElement>($"/v1/admin/reports/{month}?format=json", TestContext.Current.CancellationToken);

        Assert.Equal("kernel update", Assert.Single(report.MaintenanceWindows).Reason);
        Assert.False(report.MaintenanceWindows[0].Excluded);
        Assert.Contains("| no (declared late) | kernel update |", report.Markdown, StringComparison.Ordinal);
        Assert.Equal(report.Node, json.GetProperty("node").GetString());
        Assert.Equal(1, json.GetProperty("maintenanceWindows").GetArrayLength());
        Assert.False(json.TryGetProperty("markdown", out _));
    }

    [Theory]
    [InlineData("/v1/admin/reports/2026-13")]
    [InlineData("/v1/admin/reports/november")]
    [InlineData("/v1/admin/reports/2026-11?format=html")]
    public async Task A_bad_month_or_format_is_a_400_with_handle_code_202(string path)
    {
        using var node = new NodeFactory();
        using var http = node.CreateAdminClient();

        using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Contains("\"responseCode\":\"202\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_window_that_ends_before_it_starts_is_refused_and_not_recorded()
    {
        using var node = new NodeFactory();
        var client = new OperationsAdministration.OperationsAdministrationClient(node.Channel);
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.DeclareMaintenanceAsync(new DeclareMaintenanceRequest
        {
            Start = Timestamp.FromDateTimeOffset(start),
            End = Timestamp.FromDateTimeOffset(start),
            Reason = "nothing",
        }, cancellationToken: TestContext.Current.CancellationToken));
        var anonymous = await Assert.ThrowsAsync<RpcException>(async () => await new OperationsAdministration.OperationsAdministrationClient(node.AnonymousChannel)
            .GetMonthlyReportAsync(new GetMonthlyReportRequest { Month = "2026-11" }, cancellationToken: TestContext.Current.CancellationToken));
        var report = await client.GetMonthlyReportAsync(new GetMonthlyReportRequest { Month = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture) },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Empty(report.MaintenanceWindows);
    }
}
