using IdResolution.Audit;
using IdResolution.Caching.Redis;
using IdResolution.Core.Composition;
using IdResolution.Core.Federation;
using IdResolution.Node.Hosting;
using IdResolution.Node.Security;
using IdResolution.Node.Tests.Infrastructure;
using IdResolution.Storage.Cassandra;
using IdResolution.Storage.Embedded;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdResolution.Node.Tests.Settings;

/// <summary>
/// A bad setting stops the node process before it opens its store, with one line that names the
/// setting's full key, its value and what is allowed, and a non-zero exit code; not an exception later.
/// </summary>
public sealed class StartFailureTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "--Node:HttpPort=-1", "Node:HttpPort", "Node:HttpPort is -1; allowed: 1 to 65535." },
        { "--Node:MaxRequestBytes=0", "Node:MaxRequestBytes", "Node:MaxRequestBytes is 0; allowed: 1024 to 1073741824." },
        { "--RateLimits:Resolution:PermitsPerSecond=-1", "RateLimits:Resolution:PermitsPerSecond", "RateLimits:Resolution:PermitsPerSecond is -1; allowed: more than 0, at most 1000000." },
        { "--Cache:MaxTtlSeconds=-5", "Cache:MaxTtlSeconds", "Cache:MaxTtlSeconds is -5; allowed: 0 to 604800." },
        { "--Security:NodePrefix=88 709", "Security:NodePrefix", "Security:NodePrefix is '88 709'; allowed: a prefix such as 88.709: dot-separated segments of ASCII letters, digits, '-' and '_', at most Identifiers:MaxPrefixBytes (64) bytes." },
        { "--Store:Kind=Mongo", "Store:Kind", "Store:Kind is 'Mongo'; allowed: Embedded or Cassandra." },
        { "--ChangeLog:RetentionHours=0", "ChangeLog:RetentionHours", "ChangeLog:RetentionHours is 0; allowed: 1 to 87600." },
        { "--Audit:RetentionDays=0", "Audit:RetentionDays", "Audit:RetentionDays is 0; allowed: 1 to 36500." },
        { "--Node:Tls:CertificatePath=/nonexistent/node.pfx", "Node:Tls:CertificatePath", "Node:Tls:CertificatePath is '/nonexistent/node.pfx'; allowed: a PKCS#12 (.pfx) or PEM certificate file the node can read." },
        { "--Node:Tls:ClientCertificates=Require", "Node:Tls:ClientCertificates", "Node:Tls:ClientCertificates is 'Require'; allowed: None while Node:Tls:CertificatePath is empty: client certificates exist only over TLS." },

        // A node without TLS that would federate (here: it advertises endpoints to other nodes) refuses to start unless AllowInsecure is set.
        { "--Federation:AdvertisedEndpoints:Grpc=https://a.example:8001", "Federation:AllowInsecure", "Federation:AllowInsecure is False; allowed: true to federate without TLS "
            + "(development only): this node has no Node:Tls certificate or an http:// endpoint in Federation:Parent:Endpoints or Federation:AdvertisedEndpoints, "
            + "and a node without TLS refuses to federate unless AllowInsecure is set." },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_the_start_with_one_line_naming_it_before_the_store_opens(string argument, string key, string sentence)
    {
        var (exitCode, output) = await NodeProcess.RunUntilExitAsync(_data.Path, TimeSpan.FromSeconds(60), argument);

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(output.Split('\n'), line => line.Contains(key, StringComparison.Ordinal));
        Assert.EndsWith("The node cannot start: invalid settings: " + sentence, line.TrimEnd(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_data.Path, "store")), "the store was not opened");
    }

    [Fact]
    public async Task Every_bad_setting_is_named_in_the_one_line()
    {
        var (exitCode, output) = await NodeProcess.RunUntilExitAsync(_data.Path, TimeSpan.FromSeconds(60),
            "--Node:GrpcPort=70000", "--Registry:MaxPageSize=0", "--Redis:TimeoutMilliseconds=0", "--Security:Tokens:Lifetime=00:00:05");

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(output.Split('\n'), line => line.Contains("invalid settings", StringComparison.Ordinal));
        foreach (var key in new[] { "Node:GrpcPort is 70000", "Registry:MaxPageSize is 0", "Redis:TimeoutMilliseconds is 0", "Security:Tokens:Lifetime is 00:00:05" })
        {
            Assert.Contains(key, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_cassandra_node_checks_its_change_log_settings_before_it_connects()
    {
        var (exitCode, output) = await NodeProcess.RunUntilExitAsync(_data.Path, TimeSpan.FromSeconds(60),
            "--Store:Kind=Cassandra", "--Cassandra:LocalDataCenter=dc1", "--ChangeLog:SettleMilliseconds=10");

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(output.Split('\n'), line => line.Contains("invalid settings", StringComparison.Ordinal));
        Assert.EndsWith("ChangeLog:SettleMilliseconds is 10; allowed: 1000 to 3600000.", line.TrimEnd(), StringComparison.Ordinal);
    }

    /// <summary>Every settings class the node binds has its rules registered, checked when the node starts.</summary>
    [Fact]
    public void Every_settings_class_the_node_binds_is_checked_at_start()
    {
        using var node = new NodeFactory();
        var services = node.Services;

        AssertChecked<NodeOptions>(services);
        AssertChecked<NodeTlsOptions>(services);
        AssertChecked<StoreOptions>(services);
        AssertChecked<RateLimitOptions>(services);
        AssertChecked<HandleSecurityOptions>(services);
        AssertChecked<TokenOptions>(services);
        AssertChecked<CoreOptions>(services);
        AssertChecked<FederationOptions>(services);
        AssertChecked<RedisCacheOptions>(services);
        AssertChecked<EmbeddedStoreOptions>(services);
        AssertChecked<ChangeLogOptions>(services);
        AssertChecked<AuditOptions>(services);
        AssertChecked<DutiesOptions>(services);
        AssertChecked<EscrowOptions>(services);

        // The core's settings are the ones its services run on.
        Assert.Same(services.GetRequiredService<IOptions<CoreOptions>>().Value, services.GetRequiredService<CoreServices>().Options);
    }

    /// <summary>
    /// The Cassandra settings are bound only when <c>Store:Kind</c> is Cassandra, and a node cannot start here
    /// without a cluster; the store selection is composed on its own, which registers the same rules the node checks.
    /// </summary>
    [Fact]
    public void The_cassandra_settings_are_checked_at_start_when_the_node_uses_cassandra()
    {
        using (var services = CassandraSelected())
        {
            AssertChecked<CassandraStoreOptions>(services);
            AssertChecked<CassandraChangeLogOptions>(services);
        }

        using (var services = CassandraSelected(("Cassandra:Port", "70000")))
        {
            var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<CassandraStoreOptions>());
            Assert.Equal("Cassandra:Port is 70000; allowed: 1 to 65535.", Assert.Single(refused.Failures));
        }
    }

    private static ServiceProvider CassandraSelected(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["Store:Kind"] = "Cassandra", ["Cassandra:LocalDataCenter"] = "dc1" };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var collection = new ServiceCollection();
        collection.AddHandleStore(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        return collection.BuildServiceProvider();
    }

    private static void AssertChecked<T>(IServiceProvider services)
        where T : class
    {
        Assert.NotEmpty(services.GetServices<IValidateOptions<T>>());
        Assert.Same(services.GetRequiredService<IOptions<T>>().Value, services.GetRequiredService<T>());
    }
}
