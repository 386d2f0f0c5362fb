using IdResolution.Core.Storage;
using IdResolution.Cql.Errors;

namespace IdResolution.Storage.Cassandra;

/// <summary>
/// What went wrong with the cluster, said as it happened: an Unavailable answer names the replicas alive
/// and required, a lost connection names the node, a timeout says whose. Operators read these in 503s and logs.
/// </summary>
internal static class CassandraFailures
{
    public static bool IsClusterFailure(Exception failure) =>
        failure is CqlServerException or CqlConnectionException or CqlNoHostAvailableException or CqlProtocolException or TimeoutException;

    public static StoreUnavailableException Unavailable(Exception failure) => new(Describe(failure), failure);

    public static string Describe(Exception failure) => failure switch
    {
        CqlUnavailableException unavailable => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Cassandra answered Unavailable: {Replicas(unavailable.Alive)} alive of {unavailable.Required} required for {unavailable.Consistency.ToCqlName()}."),
        CqlWriteTimeoutException timeout => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Cassandra answered Write_timeout: {timeout.Received} of {timeout.BlockFor} replicas acknowledged a {timeout.WriteType} write at {timeout.Consistency.ToCqlName()} in time."),
        CqlReadTimeoutException timeout => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Cassandra answered Read_timeout: {timeout.Received} of {timeout.BlockFor} replicas answered at {timeout.Consistency.ToCqlName()} in time."),
        CqlConnectionException { NotSent: true } notSent => notSent.Host is { } to
            ? $"The request was not sent to {to}, so nothing reached Cassandra: {notSent.Message}"
            : $"The request was not sent, so nothing reached Cassandra: {notSent.Message}",
        CqlConnectionException lost => lost.Host is { } host
            ? $"The connection to {host} failed: {lost.Message}"
            : $"A connection to Cassandra failed: {lost.Message}",
        CqlNoHostAvailableException none => none.InnerException is { } inner && inner is not CqlNoHostAvailableException
            ? $"No Cassandra node could take the request: {none.Message} Last failure: {Describe(inner)}"
            : $"No Cassandra node could take the request: {none.Message}",
        TimeoutException timeout => $"Cassandra did not answer in time: {timeout.Message}",
        CqlServerException server => $"Cassandra answered {server.Code}: {server.Message}",
        _ => $"Cassandra failed: {failure.Message}",
    };

    /// <summary>Why a conditional write's outcome is unknown, for the message that tells the caller to retry.</summary>
    public static string WhyUnknown(Exception? cause) => cause switch
    {
        CqlConnectionException lost => $"the connection to {lost.Host?.ToString() ?? "Cassandra"} closed while the write was in flight",
        CqlWriteTimeoutException timeout => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Cassandra timed out the write ({timeout.Received} of {timeout.BlockFor} replicas acknowledged a {timeout.WriteType} write at {timeout.Consistency.ToCqlName()})"),
        CqlCasWriteUnknownException => "Cassandra could not tell whether the Paxos round completed (CAS_WRITE_UNKNOWN)",
        CqlReadTimeoutException => "Cassandra timed out the Paxos read of the write",
        TimeoutException => "Cassandra sent no answer within the request timeout",
        _ => "its answer was lost",
    };

    private static string Replicas(int count) => count == 1 ? "1 replica" : $"{count} replicas";
}
