using Microsoft.AspNetCore.Authentication;

namespace IdResolution.Node.Security;

/// <summary>A request feature: what the scheme its credentials named answered (success, failure, or no credentials of its kind).</summary>
internal sealed class AuthenticationOutcome(AuthenticateResult result)
{
    public AuthenticateResult Result { get; } = result;
}
