using IdResolution.Core.Records;

namespace IdResolution.Core.Federation;

/// <summary>
/// What another node answered to a non-recursive resolve or referral lookup: a record (code 1), a
/// referral (303), or another Handle code (100 not found, 301 not responsible, ...) with its message.
/// </summary>
public sealed record RemoteAnswer(HandleResponseCode Code, string Message, HandleRecord? Record = null, Referral? Referral = null)
{
    public static RemoteAnswer Found(HandleRecord record) => new(HandleResponseCode.Success, string.Empty, record);

    public static RemoteAnswer Refer(Referral referral) => new(HandleResponseCode.PrefixReferral, string.Empty, null, referral);
}
