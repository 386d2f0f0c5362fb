using System.Net;
using IdResolution.Cql.Routing;

namespace IdResolution.Cql.Tests.Routing;

internal static class RingFixtures
{
    public static CqlHostInfo Host(string name, string dataCenter = "dc1", string rack = "r1")
    {
        var id = new byte[16];
        id[15] = (byte)name[0];
        return new CqlHostInfo(new Guid(id), new IPEndPoint(IPAddress.Parse($"10.0.0.{(int)name[0]}"), 9042), dataCenter, rack);
    }

    public static string Names(IEnumerable<CqlHostInfo> hosts) =>
        string.Concat(hosts.Select(h => (char)h.HostId.ToByteArray(bigEndian: true)[15]));
}
