using System.Net;
using IdResolution.Cql.Errors;

namespace IdResolution.Storage.Cassandra.Tests;

/// <summary>What the store says about a lost connection: whether the request left at all decides what the caller may assume.</summary>
public sealed class CassandraFailuresTests
{
    private static readonly IPEndPoint Node = new(IPAddress.Parse("127.0.0.2"), 9042);

    [Fact]
    public void A_request_that_was_never_sent_is_described_as_not_sent_and_one_lost_in_flight_is_not()
    {
        var notSent = new CqlConnectionException("No connection to 127.0.0.2:9042 is open: refused") { Host = Node, NotSent = true };
        var inFlight = new CqlConnectionException("127.0.0.2:9042 closed the connection.") { Host = Node };

        Assert.Equal(
            "The request was not sent to 127.0.0.2:9042, so nothing reached Cassandra: No connection to 127.0.0.2:9042 is open: refused",
            CassandraFailures.Describe(notSent));
        Assert.Equal("The connection to 127.0.0.2:9042 failed: 127.0.0.2:9042 closed the connection.", CassandraFailures.Describe(inFlight));
        Assert.Equal("the connection to 127.0.0.2:9042 closed while the write was in flight", CassandraFailures.WhyUnknown(inFlight));
    }
}
