using System.Globalization;
using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using IdResolution.Core;
using IdResolution.Core.Records;
using Contract = IdResolution.Contracts.V1;

namespace IdResolution.Node.Api;

/// <summary>
/// Translates values between the wire contract and the core model. Input that cannot be a valid value
/// (bad hex, unknown protocol names, malformed permission strings) is refused here with INVALID_VALUE;
/// everything else is checked by the core's validator.
/// </summary>
internal static class ValueMapper
{
    public static Outcome<IReadOnlyList<HandleValue>> ToCore(IReadOnlyList<Contract.HandleValue> values)
    {
        var result = new HandleValue[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var refusal = TryToCore(values[i], out var value);
            if (refusal is not null)
            {
                return Outcome<IReadOnlyList<HandleValue>>.Fail(HandleResponseCode.InvalidValue, refusal);
            }

            result[i] = value!;
        }

        return Outcome<IReadOnlyList<HandleValue>>.Ok(result);
    }

    public static Outcome<IReadOnlyList<int>> ToIndexes(IReadOnlyList<uint> indexes)
    {
        var result = new int[indexes.Count];
        for (var i = 0; i < indexes.Count; i++)
        {
            if (RecordValidator.CheckIndex(indexes[i]) is { } error)
            {
                return Outcome<IReadOnlyList<int>>.Fail(HandleResponseCode.InvalidValue, error);
            }

            result[i] = (int)indexes[i];
        }

        return Outcome<IReadOnlyList<int>>.Ok(result);
    }

    public static void AddTo(Google.Protobuf.Collections.RepeatedField<Contract.HandleValue> target, IReadOnlyList<HandleValue> values)
    {
        foreach (var value in values)
        {
            target.Add(ToContract(value));
        }
    }

    public static Contract.HandleValue ToContract(HandleValue value)
    {
        var result = new Contract.HandleValue
        {
            Index = (uint)value.Index,
            Type = value.Type,
            Data = DataToContract(value),
            Timestamp = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds(value.Timestamp)),
            Permissions = value.Permissions == ValuePermissions.Default ? string.Empty : PermissionText.Format(value.Permissions),
        };
        if (value.TtlType == TtlType.Absolute)
        {
            result.TtlExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds(value.Ttl));
        }
        else
        {
            result.TtlSeconds = (uint)value.Ttl;
        }

        foreach (var reference in value.References)
        {
            result.References.Add(new Contract.ValueReference { Handle = reference.Handle, Index = (uint)reference.Index });
        }

        return result;
    }

    private static string? TryToCore(Contract.HandleValue input, out HandleValue? value)
    {
        value = null;
        if (input.Index > RecordValidator.MaxIndex || input.Index == 0)
        {
            return RecordValidator.CheckIndex(input.Index);
        }

        var index = (int)input.Index;
        var permissions = ValuePermissions.Default;
        if (input.Permissions.Length > 0 && !PermissionText.TryParse(input.Permissions, out permissions))
        {
            return Invariant($"value {index}: permissions must be four characters of 0 and 1 (adminRead adminWrite publicRead publicWrite), e.g. \"1110\"");
        }

        var dataError = TryData(input.Data, index, out var data);
        if (dataError is not null)
        {
            return dataError;
        }

        var ttlType = TtlType.Relative;
        long ttl = HandleValue.DefaultTtlSeconds;
        switch (input.TtlCase)
        {
            case Contract.HandleValue.TtlOneofCase.TtlSeconds:
                ttl = input.TtlSeconds;
                break;
            case Contract.HandleValue.TtlOneofCase.TtlExpiresAt:
                ttlType = TtlType.Absolute;
                ttl = input.TtlExpiresAt.Seconds;
                break;
        }

        var references = new ValueReference[input.References.Count];
        for (var i = 0; i < references.Length; i++)
        {
            var reference = input.References[i];
            if (reference.Index > RecordValidator.MaxIndex)
            {
                return RecordValidator.CheckIndex(reference.Index);
            }

            references[i] = new ValueReference(reference.Handle, (int)reference.Index);
        }

        value = new HandleValue
        {
            Index = index,
            Type = input.Type,
            Data = data,
            TtlType = ttlType,
            Ttl = ttl,
            Permissions = permissions,
            References = references,
        };
        return null;
    }

    private static string? TryData(Contract.ValueData? data, int index, out byte[] bytes)
    {
        bytes = [];
        if (data is null)
        {
            return null;
        }

        switch (data.FormatCase)
        {
            case Contract.ValueData.FormatOneofCase.None:
                return null;
            case Contract.ValueData.FormatOneofCase.StringValue:
                bytes = System.Text.Encoding.UTF8.GetBytes(data.StringValue);
                return null;
            case Contract.ValueData.FormatOneofCase.Base64:
                bytes = data.Base64.ToByteArray();
                return null;
            case Contract.ValueData.FormatOneofCase.Hex:
                try
                {
                    bytes = Convert.FromHexString(data.Hex);
                    return null;
                }
                catch (FormatException)
                {
                    return Invariant($"value {index}: data.hex is not an even number of hexadecimal digits");
                }

            case Contract.ValueData.FormatOneofCase.Admin:
                if (data.Admin.Index > RecordValidator.MaxIndex)
                {
                    return RecordValidator.CheckIndex(data.Admin.Index);
                }

                if (!PermissionText.TryParse(data.Admin.Permissions, out AdminPermissions adminPermissions))
                {
                    return Invariant($"value {index}: admin permissions must be twelve characters of 0 and 1, e.g. \"011111110011\"");
                }

                bytes = new AdminValue(data.Admin.Handle, (int)data.Admin.Index, adminPermissions).Encode();
                return null;
            case Contract.ValueData.FormatOneofCase.Vlist:
                var entries = new List<ValueReference>(data.Vlist.Entries.Count);
                foreach (var entry in data.Vlist.Entries)
                {
                    if (entry.Index > RecordValidator.MaxIndex)
                    {
                        return RecordValidator.CheckIndex(entry.Index);
                    }

                    entries.Add(new ValueReference(entry.Handle, (int)entry.Index));
                }

                bytes = ValueList.Encode(entries);
                return null;
            case Contract.ValueData.FormatOneofCase.Site:
                var siteError = TrySite(data.Site, index, out var site);
                if (siteError is null)
                {
                    bytes = site!.Encode();
                }

                return siteError;
            default:
                return Invariant($"value {index}: unknown data format");
        }
    }

    private static string? TrySite(Contract.SiteValue input, int index, out SiteInfo? site)
    {
        site = null;
        byte major = 2, minor = 10;
        if (input.ProtocolVersion.Length > 0)
        {
            var parts = input.ProtocolVersion.Split('.');
            if (parts.Length != 2 || !byte.TryParse(parts[0], CultureInfo.InvariantCulture, out major) || !byte.TryParse(parts[1], CultureInfo.InvariantCulture, out minor))
            {
                return Invariant($"value {index}: site protocolVersion must be \"major.minor\", e.g. \"2.10\"");
            }
        }

        if (input.Version > ushort.MaxValue || input.SerialNumber > ushort.MaxValue || input.HashOption > 2)
        {
            return Invariant($"value {index}: site version and serial number must fit 16 bits, and hashOption is 0, 1 or 2");
        }

        var servers = new List<SiteServer>(input.Servers.Count);
        foreach (var server in input.Servers)
        {
            if (!IPAddress.TryParse(server.Address, out var address))
            {
                return Invariant($"value {index}: site server {server.ServerId} has address '{server.Address}', which is not an IP address");
            }

            var interfaces = new List<SiteInterface>(server.Interfaces.Count);
            foreach (var endpoint in server.Interfaces)
            {
                if (!SiteTransportNames.TryParse(endpoint.Protocol, out var transport) || endpoint.Port > ushort.MaxValue)
                {
                    return Invariant($"value {index}: a site interface needs protocol UDP, TCP, HTTP or HTTPS and a port up to 65535");
                }

                var type = (SiteServiceType)((endpoint.Query ? (int)SiteServiceType.Query : 0) | (endpoint.Admin ? (int)SiteServiceType.Admin : 0));
                interfaces.Add(new SiteInterface(type, transport, (int)endpoint.Port));
            }

            servers.Add(new SiteServer((int)server.ServerId, address, server.PublicKey.ToByteArray(), interfaces));
        }

        site = new SiteInfo
        {
            DataVersion = input.Version == 0 ? 1 : (int)input.Version,
            ProtocolMajor = major,
            ProtocolMinor = minor,
            SerialNumber = (int)input.SerialNumber,
            IsPrimary = input.PrimarySite,
            IsMultiPrimary = input.MultiPrimary,
            HashOption = input.HasHashOption ? (byte)input.HashOption : (byte)2,
            HashFilter = input.HashFilter,
            Attributes = [.. input.Attributes.Select(a => new KeyValuePair<string, string>(a.Name, a.Value))],
            Servers = servers,
        };
        return null;
    }

    private static Contract.ValueData DataToContract(HandleValue value) => ValueDataFormats.Accept(value, ContractData.Instance);

    public static Contract.SiteValue SiteToContract(SiteInfo site)
    {
        var result = new Contract.SiteValue
        {
            Version = (uint)site.DataVersion,
            ProtocolVersion = Invariant($"{site.ProtocolMajor}.{site.ProtocolMinor}"),
            SerialNumber = (uint)site.SerialNumber,
            PrimarySite = site.IsPrimary,
            MultiPrimary = site.IsMultiPrimary,
            HashOption = site.HashOption,
            HashFilter = site.HashFilter,
        };
        result.Attributes.AddRange(site.Attributes.Select(a => new Contract.SiteAttribute { Name = a.Key, Value = a.Value }));
        foreach (var server in site.Servers)
        {
            var contract = new Contract.SiteServer
            {
                ServerId = (uint)server.ServerId,
                Address = server.Address.ToString(),
                PublicKey = ByteString.CopyFrom(server.PublicKey.Span),
            };
            contract.Interfaces.AddRange(server.Interfaces.Select(i => new Contract.SiteInterface
            {
                Query = ((int)i.ServiceType & (int)SiteServiceType.Query) != 0,
                Admin = ((int)i.ServiceType & (int)SiteServiceType.Admin) != 0,
                Protocol = SiteTransportNames.NameOf(i.Transport) ?? ((int)i.Transport).ToString(CultureInfo.InvariantCulture),
                Port = (uint)i.Port,
            }));
            result.Servers.Add(contract);
        }

        return result;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The gRPC contract's wire form of value data.</summary>
    private sealed class ContractData : IValueDataVisitor<Contract.ValueData>
    {
        public static readonly ContractData Instance = new();

        public Contract.ValueData Text(string text) => new() { StringValue = text };

        public Contract.ValueData Binary(ReadOnlyMemory<byte> data) => new() { Base64 = ByteString.CopyFrom(data.Span) };

        public Contract.ValueData Admin(AdminValue admin) => new()
        {
            Admin = new Contract.AdminValue { Handle = admin.AdminHandle, Index = (uint)admin.AdminIndex, Permissions = PermissionText.Format(admin.Permissions) },
        };

        public Contract.ValueData ValueList(IReadOnlyList<ValueReference> entries)
        {
            var list = new Contract.ValueList();
            list.Entries.AddRange(entries.Select(e => new Contract.ValueReference { Handle = e.Handle, Index = (uint)e.Index }));
            return new Contract.ValueData { Vlist = list };
        }

        public Contract.ValueData Site(SiteInfo site) => new() { Site = SiteToContract(site) };
    }
}
