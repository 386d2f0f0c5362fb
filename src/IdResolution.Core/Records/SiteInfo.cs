using System.Buffers;
using System.Net;
using System.Net.Sockets;
using IdResolution.Core.Wire;

namespace IdResolution.Core.Records;

/// <summary>How a site's server is reached: what it serves, over which transport, on which port.</summary>
public sealed record SiteInterface(SiteServiceType ServiceType, SiteTransport Transport, int Port);

public enum SiteServiceType : byte
{
    Out = 0,
    Admin = 1,
    Query = 2,
    AdminAndQuery = 3,
}

public enum SiteTransport : byte
{
    Udp = 0,
    Tcp = 1,
    Http = 2,
    Https = 3,
}

/// <summary>One server of a site.</summary>
public sealed record SiteServer(int ServerId, IPAddress Address, ReadOnlyMemory<byte> PublicKey, IReadOnlyList<SiteInterface> Interfaces);

/// <summary>
/// The data of an HS_SITE value (RFC 3651 §3.2.2): the servers that answer for a prefix.
/// The top level answers prefix lookups with these, so federation reads and writes them.
/// </summary>
public sealed record SiteInfo
{
    private const byte PrimaryBit = 0x80;
    private const byte MultiPrimaryBit = 0x40;

    public int DataVersion { get; init; } = 1;

    public byte ProtocolMajor { get; init; } = 2;

    public byte ProtocolMinor { get; init; } = 10;

    public int SerialNumber { get; init; }

    public bool IsPrimary { get; init; }

    public bool IsMultiPrimary { get; init; }

    /// <summary>0 hash by prefix, 1 by suffix, 2 by the whole handle (the default).</summary>
    public byte HashOption { get; init; } = 2;

    public string HashFilter { get; init; } = string.Empty;

    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; } = [];

    public IReadOnlyList<SiteServer> Servers { get; init; } = [];

    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var writer = new WireWriter(buffer);
        writer.WriteUInt16(DataVersion);
        writer.WriteByte(ProtocolMajor);
        writer.WriteByte(ProtocolMinor);
        writer.WriteUInt16(SerialNumber);
        writer.WriteByte((byte)((IsPrimary ? PrimaryBit : 0) | (IsMultiPrimary ? MultiPrimaryBit : 0)));
        writer.WriteByte(HashOption);
        writer.WriteString(HashFilter);
        writer.WriteInt32(Attributes.Count);
        foreach (var attribute in Attributes)
        {
            writer.WriteString(attribute.Key);
            writer.WriteString(attribute.Value);
        }

        writer.WriteInt32(Servers.Count);
        Span<byte> address = stackalloc byte[16];
        foreach (var server in Servers)
        {
            writer.WriteInt32(server.ServerId);
            WriteAddress(server.Address, address);
            writer.WriteRaw(address);
            writer.WriteBytes(server.PublicKey.Span);
            writer.WriteInt32(server.Interfaces.Count);
            foreach (var endpoint in server.Interfaces)
            {
                writer.WriteByte((byte)endpoint.ServiceType);
                writer.WriteByte((byte)endpoint.Transport);
                writer.WriteInt32(endpoint.Port);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static bool TryDecode(ReadOnlySpan<byte> data, out SiteInfo? site)
    {
        site = null;
        var reader = new WireReader(data);
        if (!reader.TryReadUInt16(out var version) || !reader.TryReadByte(out var major) || !reader.TryReadByte(out var minor)
            || !reader.TryReadUInt16(out var serial) || !reader.TryReadByte(out var mask) || !reader.TryReadByte(out var hashOption)
            || !reader.TryReadString(out var hashFilter) || !reader.TryReadCount(8, out var attributeCount))
        {
            return false;
        }

        var attributes = new List<KeyValuePair<string, string>>(attributeCount);
        for (var i = 0; i < attributeCount; i++)
        {
            if (!reader.TryReadString(out var name) || !reader.TryReadString(out var value))
            {
                return false;
            }

            attributes.Add(new(name, value));
        }

        if (!reader.TryReadCount(28, out var serverCount))
        {
            return false;
        }

        var servers = new List<SiteServer>(serverCount);
        for (var i = 0; i < serverCount; i++)
        {
            if (!reader.TryReadInt32(out var serverId) || !reader.TryReadRaw(16, out var address)
                || !reader.TryReadBytes(out var key) || !reader.TryReadCount(6, out var interfaceCount))
            {
                return false;
            }

            var interfaces = new List<SiteInterface>(interfaceCount);
            for (var j = 0; j < interfaceCount; j++)
            {
                if (!reader.TryReadByte(out var type) || !reader.TryReadByte(out var transport) || !reader.TryReadInt32(out var port))
                {
                    return false;
                }

                interfaces.Add(new SiteInterface((SiteServiceType)type, (SiteTransport)transport, port));
            }

            servers.Add(new SiteServer(serverId, ReadAddress(address), key.ToArray(), interfaces));
        }

        if (!reader.IsEmpty)
        {
            return false;
        }

        site = new SiteInfo
        {
            DataVersion = version,
            ProtocolMajor = major,
            ProtocolMinor = minor,
            SerialNumber = serial,
            IsPrimary = (mask & PrimaryBit) != 0,
            IsMultiPrimary = (mask & MultiPrimaryBit) != 0,
            HashOption = hashOption,
            HashFilter = hashFilter,
            Attributes = attributes,
            Servers = servers,
        };
        return true;
    }

    // Addresses are 16 bytes; IPv4 goes in the last four, the first twelve zero (Handle.Net's layout).
    private static void WriteAddress(IPAddress address, Span<byte> destination)
    {
        destination.Clear();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(destination[12..], out _);
        }
        else
        {
            address.TryWriteBytes(destination, out _);
        }
    }

    private static IPAddress ReadAddress(ReadOnlySpan<byte> bytes) =>
        bytes[..12].IndexOfAnyExcept((byte)0) < 0 ? new IPAddress(bytes[12..]) : new IPAddress(bytes);
}

/// <summary>The transport names Handle.Net uses in site JSON ("UDP", "TCP", "HTTP", "HTTPS").</summary>
public static class SiteTransportNames
{
    private static readonly string[] Names = ["UDP", "TCP", "HTTP", "HTTPS"];

    /// <summary>The name, or null for a transport code Handle.Net has no name for (it then writes the number).</summary>
    public static string? NameOf(SiteTransport transport) => (int)transport < Names.Length ? Names[(int)transport] : null;

    /// <summary>Names are case-sensitive, as Handle.Net reads them.</summary>
    public static bool TryParse(string? name, out SiteTransport transport)
    {
        var index = Array.IndexOf(Names, name);
        transport = (SiteTransport)Math.Max(index, 0);
        return index >= 0;
    }
}
