using IdResolution.Core.Monitoring;
using IdResolution.Federation.Mapping;

namespace IdResolution.Federation.Tests;

/// <summary>A child's heartbeat figures as the parent reads them: every figure arrives as sent, and what is no figure is refused whole.</summary>
public sealed class HeartbeatFiguresMappingTests
{
    private static readonly DateTimeOffset Started = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    private static HeartbeatFigures Sent() => new(120, 30, 4, TimeSpan.FromHours(2), "1.2.3", 77, 2, Started)
    {
        ErrorsByCode = new Dictionary<int, long> { [100] = 3, [202] = 1 },
        ResolveP50Ms = 0.8,
        ResolveP99Ms = 12.5,
        CacheHitRatio = new Dictionary<string, double> { ["in_process"] = 0.75, ["redis"] = 0.5 },
        StoreHealth = "up",
        RedisHealth = "degraded",
        EscrowAppliedPosition = 70,
    };

    [Fact]
    public void Every_figure_a_child_sends_is_read_back_by_its_parent()
    {
        var read = OperationsContract.ToCore(OperationsContract.ToContract(Sent()));

        Assert.NotNull(read);
        var sent = Sent();
        Assert.Equal((sent.Resolutions, sent.Registrations, sent.Errors, sent.Uptime, sent.Version, sent.FeedLastPosition, sent.FilingBacklog, sent.StartedAt),
            (read.Resolutions, read.Registrations, read.Errors, read.Uptime, read.Version, read.FeedLastPosition, read.FilingBacklog, read.StartedAt));
        Assert.Equal(sent.ErrorsByCode.OrderBy(e => e.Key), read.ErrorsByCode.OrderBy(e => e.Key));
        Assert.Equal(sent.CacheHitRatio.OrderBy(t => t.Key), read.CacheHitRatio.OrderBy(t => t.Key));
        Assert.Equal((0.8, 12.5, "up", "degraded", (long?)70), (read.ResolveP50Ms, read.ResolveP99Ms, read.StoreHealth, read.RedisHealth, read.EscrowAppliedPosition));
    }

    [Fact]
    public void An_escrow_position_never_read_stays_absent()
    {
        var read = OperationsContract.ToCore(OperationsContract.ToContract(Sent() with { EscrowAppliedPosition = null }));

        Assert.NotNull(read);
        Assert.Null(read.EscrowAppliedPosition);
    }

    public static TheoryData<string> NoFigures() => ["negative error count", "ratio above one", "latency not a number", "negative latency", "too many codes", "long health word", "negative escrow position", "no start"];

    [Theory]
    [MemberData(nameof(NoFigures))]
    public void Figures_that_are_no_figures_are_refused_whole(string flaw)
    {
        var figures = OperationsContract.ToContract(Sent());
        switch (flaw)
        {
            case "negative error count": figures.ErrorsByCode[2] = -1; break;
            case "ratio above one": figures.CacheHitRatio["redis"] = 1.5; break;
            case "latency not a number": figures.ResolveP99Ms = double.NaN; break;
            case "negative latency": figures.ResolveP50Ms = -1; break;
            case "too many codes":
                for (var code = 1000; code < 1100; code++)
                {
                    figures.ErrorsByCode[code] = 1;
                }

                break;
            case "long health word": figures.StoreHealth = new string('x', 100); break;
            case "negative escrow position": figures.EscrowAppliedPosition = -1; break;
            default: figures.StartedAt = null; break;
        }

        Assert.Null(OperationsContract.ToCore(figures));
        Assert.NotNull(OperationsContract.ToCore(OperationsContract.ToContract(Sent())));
    }
}
