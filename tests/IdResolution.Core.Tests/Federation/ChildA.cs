using System.Security.Cryptography;
using IdResolution.Core.Federation;
using IdResolution.Core.Records;
using IdResolution.Core.Security;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Federation;

/// <summary>Secondary A (88.709) as its top level (88) knows it: admitted, and the caller its calls become.</summary>
internal static class ChildA
{
    public static readonly Caller Caller = new(CallerKind.PeerNode, new ValueReference("0.NA/88.709", 300), "node 88.709", "127.0.0.2");

    /// <summary>Admits A at <paramref name="top"/> with a fresh node key, as the top's operator does.</summary>
    public static async Task AdmitAsync(Node top)
    {
        ArgumentNullException.ThrowIfNull(top);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var admitted = await top.CreateAsync("0.NA/88.709",
            Values.Text(PrefixSites.StatusIndex, ReservedTypes.PrefixStatus, "active"),
            Values.Text(300, ReservedTypes.NodeCredential, NodeCredential.ForKey(key).ToString()));
        Assert.True(admitted.IsSuccess, admitted.Message);
    }
}
