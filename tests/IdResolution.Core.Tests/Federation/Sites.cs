using IdResolution.Core.Federation;
using IdResolution.Core.Records;

namespace IdResolution.Core.Tests.Federation;

/// <summary>Sites, referrals and remote answers as the tests use them.</summary>
internal static class Sites
{
    public static SiteInfo Of(string grpc, bool primary = true) => new()
    {
        IsPrimary = primary,
        Attributes = [new(RemoteNode.GrpcAttribute, grpc), new(RemoteNode.HttpAttribute, grpc.Replace("grpc", "http", StringComparison.Ordinal))],
    };

    public static Referral To(string prefix, int ttlSeconds = 300, bool upward = false) =>
        new(prefix, [Of("https://grpc." + prefix + ".test")], TimeSpan.FromSeconds(ttlSeconds), upward);

    public static RemoteAnswer Refer(string prefix, int ttlSeconds = 300, bool upward = false) => RemoteAnswer.Refer(To(prefix, ttlSeconds, upward));

    public static RemoteAnswer Record(string handle, string url, long version = 1, int ttl = 600) =>
        RemoteAnswer.Found(new HandleRecord(handle, [Support.Values.Url(1, url, ttl)], version));
}
