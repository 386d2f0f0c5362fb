using IdResolution.Core.Telemetry;

namespace IdResolution.Core.Tests.Telemetry;

/// <summary>
/// The code tag is boxed once per code, not per call, and still carries the code's number (the exported series
/// by code are checked end to end in the node's operations tests).
/// </summary>
public sealed class NodeMetricsTagTests
{
    [Fact]
    public void A_code_tag_is_the_same_boxed_number_every_time()
    {
        Assert.Same(NodeMetrics.Boxed(HandleResponseCode.Success), NodeMetrics.Boxed(HandleResponseCode.Success));
        Assert.Equal(100, NodeMetrics.Boxed(HandleResponseCode.HandleNotFound));
        Assert.Equal(5000, NodeMetrics.Boxed((HandleResponseCode)5000));
    }
}
