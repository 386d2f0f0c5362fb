using System.Text.Encodings.Web;
using IdResolution.Core.Administration;
using IdResolution.Core.Federation;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace IdResolution.Node.Security;

/// <summary>
/// <c>Authorization: IdresNode &lt;assertion&gt;</c>: a call from a child node this node admitted, signed with
/// the child's node key (<see cref="NodeAssertion"/>). The claimed issuer names the prefix handle to read the
/// keys from; the child must still be delegated that prefix. A suspended child still authenticates: what it
/// may change is the core's decision, not its login's. Over plain HTTP only with <c>Federation:AllowInsecure</c>.
/// </summary>
internal sealed class NodeAssertionHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    private readonly NodeDirectory _nodes;
    private readonly FederationOptions _federation;
    private readonly TimeProvider _time;

    public NodeAssertionHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
        NodeDirectory nodes, FederationOptions federation, TimeProvider time)
        : base(options, logger, encoder)
    {
        _nodes = nodes;
        _federation = federation;
        _time = time;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers.Authorization;
        if (headers.Count == 0 || !HandleSchemes.HasScheme(headers[0], NodeAssertion.Scheme))
        {
            return AuthenticateResult.NoResult();
        }

        if (headers.Count > 1)
        {
            return Refuse(null, "more than one Authorization header");
        }

        if (!Request.IsHttps && !_federation.AllowInsecure)
        {
            return Refuse(null, "node assertions are accepted over TLS only (or with Federation:AllowInsecure=true, for development)");
        }

        var assertion = headers[0]!.AsSpan().Trim(" \t")[NodeAssertion.Scheme.Length..].Trim(" \t").ToString();
        if (NodeAssertion.ClaimedIssuer(assertion) is not { Length: > 0 } issuer)
        {
            return Refuse(null, "the node assertion is not a compact ES256 JWS naming its issuer");
        }

        if (string.Equals(issuer, _federation.Parent.Prefix.Trim(), StringComparison.OrdinalIgnoreCase) && _federation.HasParent)
        {
            return AuthenticateParent(assertion, issuer);
        }

        AdmittedNode? node;
        try
        {
            node = await _nodes.FindAsync(issuer, Context.RequestAborted);
        }
        catch (StoreUnavailableException unavailable)
        {
            // Credentials that cannot be checked now are neither accepted nor called wrong.
            return AuthenticateResult.Fail(unavailable);
        }

        if (node is null)
        {
            return Refuse(issuer, $"no node is admitted for prefix {issuer} on this node");
        }

        var keys = node.Credentials.Where(c => c.Kind == NodeCredentialKind.Key).Select(c => c.Value).ToList();
        if (keys.Count == 0)
        {
            return Refuse(issuer, $"node {node.Prefix} is admitted by its TLS client certificate only, not by a node key");
        }

        if (NodeAssertion.Verify(assertion, issuer, keys, _time.GetUtcNow()) is { } reason)
        {
            return Refuse(issuer, reason);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(HandlePrincipal.Peer(node.Prefix, Scheme.Name), Scheme.Name));
    }

    /// <summary>This node's own parent (its escrow reading the change log), known by the keys in <c>Federation:Parent:Credentials</c>.</summary>
    private AuthenticateResult AuthenticateParent(string assertion, string issuer)
    {
        var keys = _federation.Parent.Credentials
            .Select(text => NodeCredential.TryParse(text, out var credential, out _) ? credential : null)
            .Where(credential => credential?.Kind == NodeCredentialKind.Key)
            .Select(credential => credential!.Value)
            .ToList();
        if (keys.Count == 0)
        {
            return Refuse(issuer, $"the parent {issuer} is not known by a node key here (Federation:Parent:Credentials)");
        }

        return NodeAssertion.Verify(assertion, issuer, keys, _time.GetUtcNow()) is { } reason
            ? Refuse(issuer, reason)
            : AuthenticateResult.Success(new AuthenticationTicket(HandlePrincipal.Peer(_federation.Parent.Prefix.Trim(), Scheme.Name), Scheme.Name));
    }

    private AuthenticateResult Refuse(string? issuer, string reason)
    {
        SecurityLog.CredentialsRefused(Logger, Scheme.Name, issuer is null ? "an unnamed node" : NodeDelegation.CallerName(issuer), 403, reason);
        return AuthenticateResult.Fail(new NodeCredentialsRefusedException(reason));
    }
}
