using IdResolution.Cql.Errors;
using IdResolution.Cql.Execution;
using IdResolution.Cql.Protocol.Requests;
using IdResolution.Cql.Protocol.Responses;

namespace IdResolution.Cql.Cluster;

/// <summary>
/// Schema agreement asked of each node itself: a peers table can report a stale version for its peers
/// (seen on 4.0: the control node's own version), so every node of the local data centre that is up
/// reads its own <c>system.local</c> through its own pool. Down nodes are left out, and named.
/// </summary>
public sealed partial class CqlSession
{
    private const string LocalSchemaVersion = "SELECT schema_version FROM system.local WHERE key = 'local'";
    private const string DownReason = "down";
    private static readonly TimeSpan AgreementPollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Waits until every node of the local data centre that is up reports the same schema version (after
    /// DDL, before statements that need it run on other nodes). The result says whether they agreed
    /// within <paramref name="within"/>, and what each node answered.
    /// </summary>
    public async Task<CqlSchemaAgreement> WaitForSchemaAgreementAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        while (true)
        {
            var nodes = await SchemaVersionsAsync(cancellationToken);
            var elapsed = time.GetElapsedTime(started);
            var answered = nodes.Where(node => node.Version is not null).Select(node => node.Version).Distinct().Count();
            var unanswered = nodes.Any(node => node.Version is null && node.LeftOut != DownReason);
            var result = new CqlSchemaAgreement(answered == 1 && !unanswered, elapsed, nodes);
            if (result.Agreed)
            {
                CqlLog.SchemaAgreementReached(_logger, (long)elapsed.TotalMilliseconds, result.Describe());
                return result;
            }

            if (elapsed >= within)
            {
                CqlLog.SchemaAgreementFailed(_logger, (long)within.TotalMilliseconds, result.Describe());
                return result;
            }

            CqlLog.SchemaAgreementWaiting(_logger, result.Describe());
            var wait = within - elapsed < AgreementPollInterval ? within - elapsed : AgreementPollInterval;
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<CqlNodeSchemaVersion>> SchemaVersionsAsync(CancellationToken cancellationToken)
    {
        List<HostPool> pools;
        lock (_pools)
        {
            pools = [.. _pools.Values.Select(entry => entry.Pool)];
        }

        return await Task.WhenAll(pools.Select(pool => SchemaVersionOfAsync(pool, cancellationToken)));
    }

    private async Task<CqlNodeSchemaVersion> SchemaVersionOfAsync(HostPool pool, CancellationToken cancellationToken)
    {
        if (!pool.IsUp)
        {
            return new CqlNodeSchemaVersion(pool.Address, null, DownReason);
        }

        try
        {
            var reply = await pool.SendAsync(new QueryRequest(LocalSchemaVersion, new CqlQueryParameters(CqlConsistency.One)), _options.Execution.RequestTimeout, cancellationToken);
            var rows = reply is RowsResult result ? new CqlRowSet(result) : CqlRowSet.Empty;
            return rows.Count == 1 && !rows[0].IsNull("schema_version")
                ? new CqlNodeSchemaVersion(pool.Address, rows[0].Get<Guid>("schema_version"), null)
                : new CqlNodeSchemaVersion(pool.Address, null, "no schema version in its system.local");
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            // A node that went down meanwhile is left out; one that is up but failed to answer must be asked again.
            return new CqlNodeSchemaVersion(pool.Address, null, pool.IsUp ? failure.Message : DownReason);
        }
    }
}
