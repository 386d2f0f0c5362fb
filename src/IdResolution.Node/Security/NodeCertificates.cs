using System.Security.Cryptography;
using IdResolution.Core.Administration;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using Microsoft.AspNetCore.Authentication.Certificate;

namespace IdResolution.Node.Security;

/// <summary>
/// The certificate handler's last step: a validated TLS client certificate authenticates the child node whose
/// admitted <c>cert:</c> credential is its SHA-256 thumbprint (<see cref="NodeDirectory.FindByCredentialAsync"/>).
/// The directory of admitted nodes is the one list of peers; any other certificate fails.
/// </summary>
internal static class NodeCertificates
{
    public static async Task OnCertificateValidated(CertificateValidatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.HttpContext.RequestServices;
        var certificate = context.ClientCertificate;
        var sha256 = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        AdmittedNode? node;
        try
        {
            node = await services.GetRequiredService<NodeDirectory>()
                .FindByCredentialAsync(new NodeCredential(NodeCredentialKind.Certificate, sha256), context.HttpContext.RequestAborted);
        }
        catch (StoreUnavailableException unavailable)
        {
            context.Fail(unavailable);
            return;
        }

        if (node is null)
        {
            SecurityLog.UnadmittedCertificate(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(NodeCertificates)), certificate.Subject, sha256);
            context.Fail("the client certificate is not an admitted node's credential");
            return;
        }

        context.Principal = HandlePrincipal.Peer(node.Prefix, context.Scheme.Name, sha256);
        context.Success();
    }
}
