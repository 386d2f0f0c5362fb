using Contract = IdResolution.Contracts.V1;

namespace IdResolution.Node.Api;

/// <summary>The core's referral in the contract's shape, for clients (Resolve with no_recursion) and other nodes.</summary>
internal static class ReferralMapper
{
    public static Contract.Referral ToContract(Core.Federation.Referral referral)
    {
        ArgumentNullException.ThrowIfNull(referral);
        var contract = new Contract.Referral
        {
            Prefix = referral.Prefix,
            TtlSeconds = (uint)Math.Clamp(referral.TimeToLive.TotalSeconds, 0, uint.MaxValue),
            Upward = referral.Upward,
        };
        contract.Sites.AddRange(referral.Sites.Select(ValueMapper.SiteToContract));
        return contract;
    }
}
