using IdResolution.Core.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdResolution.Node.Security;

/// <summary>Issues bearer tokens (JWT, ES256) for authenticated accounts.</summary>
internal sealed class TokenService(SigningKeyRing keys, TokenOptions options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public string Issue(Account account) => Issue(account, time.GetUtcNow());

    /// <summary>Issues a token as of <paramref name="issuedAt"/>; tests use it to make expired tokens.</summary>
    public string Issue(Account account, DateTimeOffset issuedAt)
    {
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = account.Name,
            [NodeClaims.Kind] = account.Role == AccountRole.Administrator ? NodeClaims.KindAdministrator : NodeClaims.KindAdmin,
            [NodeClaims.Handle] = account.Handle,
            [NodeClaims.Index] = ReservedTypes.AccountIdentityIndex,
        };
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenOptions.Issuer,
            Audience = TokenOptions.Audience,
            Claims = claims,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = (issuedAt + options.Lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Current, SecurityAlgorithms.EcdsaSha256),
        });
    }

    public static TokenValidationParameters ValidationParameters(SigningKeyRing keys) => new()
    {
        ValidIssuer = TokenOptions.Issuer,
        ValidAudience = TokenOptions.Audience,
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        IssuerSigningKeyResolver = (_, _, keyId, _) => keys.Resolve(keyId),
        NameClaimType = JwtRegisteredClaimNames.Sub,
        ClockSkew = TimeSpan.FromSeconds(30),
        RequireExpirationTime = true,
    };

}
