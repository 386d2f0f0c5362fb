using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Duties;

/// <summary>The parent hears heartbeats from admitted children only, and lists them in GET /v1/admin/children.</summary>
public sealed class ChildHeartbeatTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static HeartbeatRequest Beat(long registrations) => new()
    {
        Figures = new NodeFigures { Registrations = registrations, Resolutions = 40, Version = "test", UptimeSeconds = 60, StartedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-1)) },
    };

    [Fact]
    public async Task A_heartbeat_from_an_admitted_child_shows_in_the_child_statuses_and_an_unadmitted_one_is_refused()
    {
        using var parent = new NodeFactory().With("Federation:AllowInsecure", "true");
        using var admitted = new ChildNode("88.709.61");
        using var stranger = new ChildNode("88.709.62");
        await ChildNode.AdmitAsync(parent, admitted.Prefix, admitted.Credential);

        await new Operations.OperationsClient(admitted.Channel(parent)).HeartbeatAsync(Beat(7), cancellationToken: Token);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await new Operations.OperationsClient(stranger.Channel(parent)).HeartbeatAsync(Beat(1), cancellationToken: Token));
        var statuses = await new OperationsAdministration.OperationsAdministrationClient(parent.Channel).ListChildStatusesAsync(new ListChildStatusesRequest(), cancellationToken: Token);

        var child = Assert.Single(statuses.Children);
        Assert.Equal(("88.709.61", "up", 7L), (child.Prefix, child.Status, child.Figures.Registrations));
        Assert.NotNull(child.LastHeartbeat);
        Assert.Contains(refused.StatusCode, new[] { StatusCode.Unauthenticated, StatusCode.PermissionDenied });
    }
}
