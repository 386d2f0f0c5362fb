using System.Text;
using IdResolution.Core.Records;

namespace IdResolution.Storage.Cassandra.Tests;

internal static class Records
{
    public static HandleRecord Url(string handle, long version, string url = "https://example.org/") =>
        new(handle, [new HandleValue { Index = 1, Type = WellKnownTypes.Url, Data = Encoding.UTF8.GetBytes(url), Timestamp = 1_700_000_000 }], version);

    public static void AssertSame(HandleRecord expected, HandleRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Handle, actual.Handle);
        Assert.Equal(expected.Version, actual.Version);
        Assert.True(actual.SameValues(expected.Values));
    }
}
