using System.Globalization;
using IdResolution.Core.Identifiers;

namespace IdResolution.Core.Records;

/// <summary>
/// Checks values before anything touches a store: indexes, types, sizes, TTLs, references and the
/// structure of HS_ADMIN, HS_SITE and HS_VLIST data. Every refusal is INVALID_VALUE (202).
/// </summary>
public sealed class RecordValidator
{
    /// <summary>Indexes at or above 2^31 are avoided (RFC 3651 errata); 0 is reserved.</summary>
    public const long MaxIndex = int.MaxValue;

    private readonly RecordLimits _limits;
    private readonly HandleGrammar _grammar;

    public RecordValidator(RecordLimits limits, HandleGrammar grammar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(grammar);
        _limits = limits;
        _grammar = grammar;
    }

    public RecordLimits Limits => _limits;

    public static string? CheckIndex(long index) =>
        index is < 1 or > MaxIndex ? Invariant($"index {index} is out of range: indexes run from 1 to {MaxIndex} (0 is reserved)") : null;

    /// <summary>Checks a whole record: each value, distinct indexes, count and encoded size.</summary>
    public Refusal? CheckRecord(IReadOnlyList<HandleValue> values) => CheckValues(values, allowEmpty: true) ?? CheckSize(values);

    /// <summary>Checks only the bounds of a record whose values were each checked already (a merge of valid values).</summary>
    public Refusal? CheckSize(IReadOnlyList<HandleValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count > _limits.MaxValuesPerRecord)
        {
            return Refusal.InvalidValue(Invariant($"the record would hold {values.Count} values; at most {_limits.MaxValuesPerRecord} are allowed"));
        }

        long size = 0;
        foreach (var value in values)
        {
            size += RecordCodec.ValueSize(value);
        }

        return size > _limits.MaxRecordBytes
            ? Refusal.InvalidValue(Invariant($"the record would be {size} bytes encoded; at most {_limits.MaxRecordBytes} are allowed"))
            : null;
    }

    /// <summary>
    /// Checks values given in one request: each value, and distinct indexes (a repeated index is
    /// VALUE_ALREADY_EXISTS, as Handle.Net answers it).
    /// </summary>
    public Refusal? CheckValues(IReadOnlyList<HandleValue> values, bool allowEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0 && !allowEmpty)
        {
            return Refusal.InvalidValue("no values were given");
        }

        if (values.Count > _limits.MaxValuesPerRecord)
        {
            return Refusal.InvalidValue(Invariant($"{values.Count} values were given; a record holds at most {_limits.MaxValuesPerRecord}"));
        }

        var seen = new HashSet<int>();
        foreach (var value in values)
        {
            var error = CheckValue(value);
            if (error is not null)
            {
                return Refusal.InvalidValue(error);
            }

            if (!seen.Add(value.Index))
            {
                return new Refusal(HandleResponseCode.ValueAlreadyExists, Invariant($"index {value.Index} appears more than once; each value needs its own index"));
            }
        }

        return null;
    }

    public string? CheckValue(HandleValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var error = CheckIndex(value.Index) ?? CheckType(value.Type, value.Index);
        if (error is not null)
        {
            return error;
        }

        if (value.Data.Length > _limits.MaxValueDataBytes)
        {
            return Invariant($"value {value.Index} holds {value.Data.Length} bytes of data; at most {_limits.MaxValueDataBytes} are allowed");
        }

        if (value.TtlType == TtlType.Relative ? value.Ttl is < 0 or > int.MaxValue : value.Ttl is < 0 or > uint.MaxValue)
        {
            return Invariant($"value {value.Index} has TTL {value.Ttl}, which is out of range");
        }

        if ((int)value.Permissions is < 0 or > 0xF)
        {
            return Invariant($"value {value.Index} has unknown permission bits");
        }

        return CheckReferences(value) ?? CheckStructuredData(value);
    }

    private string? CheckType(string type, int index)
    {
        if (string.IsNullOrEmpty(type))
        {
            return Invariant($"value {index} has no type");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(type) > _limits.MaxTypeBytes)
        {
            return Invariant($"the type of value {index} is longer than {_limits.MaxTypeBytes} bytes");
        }

        foreach (var c in type)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c))
            {
                return Invariant($"the type of value {index} contains white space, a control character or invalid text");
            }
        }

        return null;
    }

    private string? CheckReferences(HandleValue value)
    {
        if (value.References.Count > _limits.MaxReferencesPerValue)
        {
            return Invariant($"value {value.Index} has {value.References.Count} references; at most {_limits.MaxReferencesPerValue} are allowed");
        }

        foreach (var reference in value.References)
        {
            var error = CheckIndex(reference.Index) ?? CheckHandle(reference.Handle, value.Index, "a reference");
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private string? CheckStructuredData(HandleValue value)
    {
        var data = value.Data.Span;
        if (ValueDataFormats.HasType(value.Type, WellKnownTypes.Admin))
        {
            if (!AdminValue.TryDecode(data, out var admin))
            {
                return Invariant($"value {value.Index} is HS_ADMIN but its data is not an admin record");
            }

            return CheckIndex(admin!.AdminIndex) ?? CheckHandle(admin.AdminHandle, value.Index, "the admin");
        }

        if (ValueDataFormats.HasType(value.Type, WellKnownTypes.ValueList))
        {
            if (!ValueList.TryDecode(data, out var entries))
            {
                return Invariant($"value {value.Index} is HS_VLIST but its data is not a value list");
            }

            foreach (var entry in entries)
            {
                var error = CheckIndex(entry.Index) ?? CheckHandle(entry.Handle, value.Index, "a list entry");
                if (error is not null)
                {
                    return error;
                }
            }
        }

        if ((ValueDataFormats.HasType(value.Type, WellKnownTypes.Site) || ValueDataFormats.HasType(value.Type, WellKnownTypes.SitePrefix))
            && !SiteInfo.TryDecode(data, out _))
        {
            return Invariant($"value {value.Index} is {value.Type} but its data is not site information");
        }

        return null;
    }

    private string? CheckHandle(string handle, int index, string what) =>
        _grammar.TryParse(handle, out _, out var error)
            ? null
            : Invariant($"{what} in value {index} names '{handle}', which is not a valid handle: {_grammar.Describe(error)}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
