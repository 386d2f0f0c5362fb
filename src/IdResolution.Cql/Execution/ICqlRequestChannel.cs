using IdResolution.Cql.Protocol.Requests;
using IdResolution.Cql.Protocol.Responses;

namespace IdResolution.Cql.Execution;

/// <summary>Where requests to one node go: that node's connection pool.</summary>
internal interface ICqlRequestChannel
{
    /// <summary>The node, for messages.</summary>
    string Name { get; }

    /// <summary>Whether the node can be offered to statements (a pool holding a connection); true for channels that cannot tell.</summary>
    bool IsUp => true;

    /// <summary>Sends a request and returns the node's answer; an ERROR answer is thrown as its typed exception.</summary>
    Task<CqlResponse> SendAsync(ICqlRequest request, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>Which nodes a request may go to, best first.</summary>
internal interface IQueryPlanner
{
    /// <summary>
    /// For a partition's token: its replicas (in the local data centre first), then the others.
    /// Without a token (a statement whose partition is unknown), any order that spreads the load.
    /// </summary>
    IEnumerable<ICqlRequestChannel> Plan(long? token);
}
