using System.Security.Cryptography.X509Certificates;
using IdResolution.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using IdResolution.Core.Composition;
using IdResolution.Node.Settings;

namespace IdResolution.Node.Security;

/// <summary>
/// Registers the Handle schemes: <see cref="HandleSchemes.Basic"/>, <see cref="HandleSchemes.Challenge"/>,
/// and the schemes of admitted child nodes, <see cref="HandleSchemes.Node"/> and <see cref="HandleSchemes.Certificate"/>. No default scheme is set here: the node's default
/// scheme (<see cref="ForwardingSchemeHandler"/>) forwards to these with <see cref="HandleSchemes.SelectScheme"/>.
/// </summary>
internal static class HandleAuthentication
{
    public static AuthenticationBuilder AddHandleAuthentication(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Services.AddAuthentication().AddHandleSchemes(builder.Configuration);
    }

    public static AuthenticationBuilder AddHandleSchemes(this AuthenticationBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var services = builder.Services;
        services.AddSettings<HandleSecurityOptions>(configuration, HandleSecurityOptions.Section, SecuritySettingsValidation.Check);
        services.AddSingleton(sp =>
        {
            var core = sp.GetRequiredService<CoreServices>();
            return new HandleCredentials(core.Grammar, core.Source);
        });
        services.AddSingleton<HandleSessionStore>();

        builder.AddScheme<AuthenticationSchemeOptions, HandleBasicHandler>(HandleSchemes.Basic, "Handle Basic (index:handle and HS_SECKEY)", null);
        builder.AddScheme<AuthenticationSchemeOptions, HandleChallengeHandler>(HandleSchemes.Challenge, "Handle challenge-response (HS_PUBKEY, HS_SECKEY)", null);
        builder.AddScheme<AuthenticationSchemeOptions, NodeAssertionHandler>(HandleSchemes.Node, "Node assertion of an admitted child node", null);

        // No certificate validation cache: it would keep a certificate authenticated (its expiry slides with
        // use) after the node's credential was rotated out or the node removed.
        builder.AddCertificate(HandleSchemes.Certificate, options =>
        {
            // Nodes are pinned by thumbprint, so a self-signed certificate is as good as a CA-issued
            // one; revocation lists of private CAs are rarely reachable from a node.
            options.AllowedCertificateTypes = CertificateTypes.All;
            options.RevocationMode = X509RevocationMode.NoCheck;
            options.ValidateCertificateUse = true;
            options.ValidateValidityPeriod = true;
            options.Events = new CertificateAuthenticationEvents { OnCertificateValidated = NodeCertificates.OnCertificateValidated };
        });
        return builder;
    }
}
