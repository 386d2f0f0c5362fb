using System.Net;

namespace IdResolution.Cql.Routing;

/// <summary>A node as the control connection sees it; <see cref="HostId"/> is its identity.</summary>
public sealed record CqlHostInfo(Guid HostId, IPEndPoint Address, string DataCenter, string Rack);
