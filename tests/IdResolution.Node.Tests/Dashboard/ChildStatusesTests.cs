using Google.Protobuf;
using IdResolution.Core.Administration;
using IdResolution.Core.Monitoring;
using IdResolution.Node.Dashboard;

namespace IdResolution.Node.Tests.Dashboard;

/// <summary>A child's availability as the status carries it: no figure is left out, a figure of 0 % is sent as 0.</summary>
public sealed class ChildStatusesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    // The live stream's formatter, which writes defaults: a plain double would send 0 for "no figure".
    private static readonly JsonFormatter Stream = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    [Fact]
    public void A_child_without_a_figure_has_no_availability_in_the_status_or_its_json()
    {
        var status = ChildStatuses.Of(Child(), Heartbeats(), availabilityPercent: null, Now);
        Assert.False(status.HasAvailabilityPercent);
        Assert.DoesNotContain("availabilityPercent", Stream.Format(status), StringComparison.Ordinal);
    }

    [Fact]
    public void A_child_down_all_month_has_an_availability_of_0_in_the_status_and_its_json()
    {
        var status = ChildStatuses.Of(Child(), Heartbeats(), availabilityPercent: 0, Now);
        Assert.True(status.HasAvailabilityPercent);
        Assert.Contains("\"availabilityPercent\": 0", Stream.Format(status), StringComparison.Ordinal);
    }

    private static AdmittedNode Child() => new("88.709", "a child", [], false, Now.AddDays(-3), Now.AddDays(-3), []);

    private static ChildHeartbeatStatus Heartbeats() => new("88.709", ChildState.Down, Now.AddDays(-3), null, null);
}
