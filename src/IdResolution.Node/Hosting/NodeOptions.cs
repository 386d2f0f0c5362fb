using IdResolution.Core.Federation;

namespace IdResolution.Node.Hosting;

/// <summary>Where the node listens and how large a request may be (configuration section <c>Node</c>).</summary>
internal sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>
    /// Loopback by default: until an operator sets up authentication and TLS, an open write API must
    /// not face the network by accident. Set 0.0.0.0 (or a host address) to serve others.
    /// </summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>HTTP/1.1: JSON API, health, metrics.</summary>
    public int HttpPort { get; set; } = 8000;

    /// <summary>HTTP/2 without TLS (h2c) for gRPC: a cleartext port must be HTTP/2-only, since h2c cannot be negotiated.</summary>
    public int GrpcPort { get; set; } = 8001;

    /// <summary>Largest request body or gRPC message accepted; larger ones get 413 or RESOURCE_EXHAUSTED before parsing.</summary>
    public int MaxRequestBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The level of the hierarchy this node plays; the program is the same at every level.</summary>
    public NodeRole Role { get; set; } = NodeRole.Secondary;
}
