using IdResolution.Caching.Redis.Tests.Infrastructure;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Dashboard;

/// <summary>
/// A top level (prefix 88) and a secondary below it (88.709, admitted by the top level), real node
/// processes over plain HTTP on loopback, each with its own real redis-server, heartbeats every second. Shared by the test classes
/// of <see cref="TwoLevelsCollection"/>, which run one after another (one test kills the top level and starts it again).
/// </summary>
public sealed class TwoLevels : IAsyncLifetime
{
    public const string TopPrefix = "88";
    public const string SecondaryPrefix = "88.709";

    private readonly TempDirectory _topData = new();
    private readonly TempDirectory _secondaryData = new();
    private RedisServer? _topRedis;
    private RedisServer? _secondaryRedis;

    public NodeProcess TopLevel { get; private set; } = null!;

    public NodeProcess Secondary { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _topRedis = await RedisServer.StartAsync();
        _secondaryRedis = await RedisServer.StartAsync();
        TopLevel = await NodeProcess.StartAsync(_topData.Path, TimeSpan.FromSeconds(60),
            "--Node:Role=TopLevel", $"--Security:NodePrefix={TopPrefix}", "--Federation:AllowInsecure=true", "--Duties:HeartbeatSeconds=1",
            $"--Redis:Configuration={_topRedis.EndPoint}", "--Redis:TimeoutMilliseconds=200");
        Secondary = await NodeProcess.StartAsync(_secondaryData.Path, TimeSpan.FromSeconds(60),
            $"--Security:NodePrefix={SecondaryPrefix}", $"--Federation:Parent:Prefix={TopPrefix}",
            $"--Federation:Parent:Endpoints:0=http://127.0.0.1:{TopLevel.GrpcPort}", "--Federation:AllowInsecure=true", "--Duties:HeartbeatSeconds=1",
            $"--Redis:Configuration={_secondaryRedis.EndPoint}", "--Redis:TimeoutMilliseconds=200");

        var identity = await new Administration.AdministrationClient(Secondary.Channel).GetNodeIdentityAsync(new GetNodeIdentityRequest());
        await new Administration.AdministrationClient(TopLevel.Channel).AdmitNodeAsync(new AdmitNodeRequest
        {
            Prefix = SecondaryPrefix,
            Name = "secondary under test",
            Credentials = { identity.Credential },
        });
    }

    /// <summary>Kills the top level (SIGKILL), then starts it again on the same data and ports once <paramref name="whileDown"/> is done.</summary>
    public async Task WithTopLevelKilledAsync(Func<Task> whileDown)
    {
        ArgumentNullException.ThrowIfNull(whileDown);
        await TopLevel.KillAsync();
        try
        {
            await whileDown();
        }
        finally
        {
            var killed = TopLevel;
            TopLevel = await killed.StartAgainAsync(TimeSpan.FromSeconds(60));
            await killed.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Secondary is not null)
        {
            await Secondary.DisposeAsync();
        }

        if (TopLevel is not null)
        {
            await TopLevel.DisposeAsync();
        }

        if (_secondaryRedis is not null)
        {
            await _secondaryRedis.DisposeAsync();
        }

        if (_topRedis is not null)
        {
            await _topRedis.DisposeAsync();
        }

        _topData.Dispose();
        _secondaryData.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class TwoLevelsCollection : ICollectionFixture<TwoLevels>
{
    public const string Name = "a top level and a secondary";
}
