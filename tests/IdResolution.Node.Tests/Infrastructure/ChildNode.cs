using System.Net.Http.Headers;
using System.Security.Cryptography;
using Grpc.Net.Client;
using IdResolution.Contracts.V1;
using IdResolution.Core.Security;

namespace IdResolution.Node.Tests.Infrastructure;

/// <summary>
/// A child node as its parent sees it on the wire: a prefix and a node key, whose calls carry
/// <c>Authorization: IdresNode &lt;assertion&gt;</c>, freshly signed for each request unless one is given.
/// </summary>
public sealed class ChildNode : IDisposable
{
    public ChildNode(string prefix) => Prefix = prefix;

    public string Prefix { get; }

    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>What the parent's operator admits this node with.</summary>
    public string Credential => NodeCredential.ForKey(Key).ToString();

    public string Assertion(DateTimeOffset? now = null, ECDsa? key = null) =>
        NodeAssertion.Create(key ?? Key, Prefix, now ?? DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));

    /// <summary>A JSON client of <paramref name="parent"/>; with <paramref name="assertion"/>, every request carries exactly that one.</summary>
    public HttpClient Client(NodeFactory parent, string? assertion = null) => parent.CreateDefaultClient(new AssertionHeader(this, assertion));

    public GrpcChannel Channel(NodeFactory parent, string? assertion = null) =>
        GrpcChannel.ForAddress(parent.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = new AssertionHeader(this, assertion, parent.Server.CreateHandler()) });

    /// <summary>Admits <paramref name="prefix"/> at <paramref name="parent"/> through its administration API, as its operator does.</summary>
    public static async Task<NodeInfo> AdmitAsync(NodeFactory parent, string prefix, params string[] credentials)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var request = new AdmitNodeRequest { Prefix = prefix, Name = "child " + prefix };
        request.Credentials.AddRange(credentials);
        return (await new Administration.AdministrationClient(parent.Channel).AdmitNodeAsync(request)).Node;
    }

    public void Dispose() => Key.Dispose();

    private sealed class AssertionHeader : DelegatingHandler
    {
        private readonly ChildNode _node;
        private readonly string? _assertion;

        public AssertionHeader(ChildNode node, string? assertion, HttpMessageHandler? inner = null)
        {
            _node = node;
            _assertion = assertion;
            if (inner is not null)
            {
                InnerHandler = inner;
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(NodeAssertion.Scheme, _assertion ?? _node.Assertion());
            return base.SendAsync(request, cancellationToken);
        }
    }
}
