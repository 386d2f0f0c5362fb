using System.Net;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Records;

public sealed class RecordValidatorTests
{
    private static readonly HandleGrammar Grammar = new(new HandleSyntaxOptions());

    private static RecordValidator Validator(RecordLimits? limits = null) => new(limits ?? new RecordLimits(), Grammar);

    private static HandleValue Value(int index = 1, string type = "URL", byte[]? data = null) => new()
    {
        Index = index,
        Type = type,
        Data = data ?? "https://example.org"u8.ToArray(),
    };

    private static void AssertInvalid(Refusal? refusal, string because)
    {
        Assert.NotNull(refusal);
        Assert.Equal(HandleResponseCode.InvalidValue, refusal.Value.Code);
        Assert.Contains(because, refusal.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_well_formed_record_passes()
    {
        HandleValue[] values =
        [
            Values.HsAdmin(),
            Value(1),
            Value(2, "HS_VLIST", ValueList.Encode([new ValueReference("88.709.911/ADMIN", 300)])),
            Value(3, "HS_SITE.6", new SiteInfo { Servers = [new SiteServer(1, IPAddress.Loopback, Array.Empty<byte>(), [])] }.Encode()),
            Value(4, "描述") with { References = [new ValueReference("88.709.911/OTHER", 1)] },
            Value(int.MaxValue, "EMPTY", []) with { TtlType = TtlType.Absolute, Ttl = uint.MaxValue },
        ];

        Assert.Null(Validator().CheckRecord(values));
        Assert.Null(Validator().CheckValues(values));
    }

    [Theory]
    [InlineData(0L, false)]
    [InlineData(-1L, false)]
    [InlineData(1L, true)]
    [InlineData(int.MaxValue, true)]
    [InlineData(int.MaxValue + 1L, false)]
    [InlineData(uint.MaxValue, false)]
    public void Indexes_run_from_1_to_int_max(long index, bool valid) => Assert.Equal(valid, RecordValidator.CheckIndex(index) is null);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void A_value_at_a_reserved_or_negative_index_is_refused(int index) =>
        AssertInvalid(Validator().CheckValues([Value(index)]), "out of range");

    [Fact]
    public void A_repeated_index_is_value_already_exists()
    {
        var refusal = Validator().CheckValues([Value(1), Value(2), Value(1, "EMAIL")]);

        Assert.NotNull(refusal);
        Assert.Equal(HandleResponseCode.ValueAlreadyExists, refusal.Value.Code);
    }

    [Fact]
    public void No_values_are_refused_for_a_value_write_but_allowed_for_a_record()
    {
        AssertInvalid(Validator().CheckValues([]), "no values");
        Assert.Null(Validator().CheckRecord([]));
    }

    [Fact]
    public void Too_many_values_are_refused()
    {
        var validator = Validator(new RecordLimits { MaxValuesPerRecord = 3 });
        HandleValue[] four = [Value(1), Value(2), Value(3), Value(4)];

        Assert.Null(validator.CheckRecord(four[..3]));
        AssertInvalid(validator.CheckValues(four), "at most 3");
        AssertInvalid(validator.CheckRecord(four), "at most 3");
        AssertInvalid(validator.CheckSize(four), "at most 3");
    }

    [Fact]
    public void Value_data_above_the_limit_is_refused()
    {
        var limit = new RecordLimits().MaxValueDataBytes;

        Assert.Null(Validator().CheckValues([Value(1, "DATA", new byte[limit])]));
        AssertInvalid(Validator().CheckValues([Value(1, "DATA", new byte[limit + 1])]), "bytes of data");
    }

    [Fact]
    public void A_record_above_the_encoded_size_limit_is_refused()
    {
        var limits = new RecordLimits();
        var values = Enumerable.Range(1, 9).Select(i => Value(i, "DATA", new byte[limits.MaxValueDataBytes])).ToArray();

        Assert.All(values, value => Assert.Null(Validator().CheckValue(value)));
        AssertInvalid(Validator().CheckRecord(values), "bytes encoded");
        Assert.Null(Validator().CheckRecord(values[..7]));
    }

    [Fact]
    public void Hs_admin_data_that_does_not_decode_is_refused()
    {
        AssertInvalid(Validator().CheckValues([Value(100, "HS_ADMIN", "admin please"u8.ToArray())]), "not an admin record");
        AssertInvalid(Validator().CheckValues([Value(100, "HS_ADMIN", [])]), "not an admin record");
    }

    [Fact]
    public void Hs_admin_naming_an_invalid_admin_is_refused()
    {
        AssertInvalid(Validator().CheckValues([Value(100, "HS_ADMIN", new AdminValue("no-slash", 300, AdminPermissions.All).Encode())]), "not a valid handle");
        AssertInvalid(Validator().CheckValues([Value(100, "HS_ADMIN", new AdminValue("88.1/ADMIN", 0, AdminPermissions.All).Encode())]), "out of range");
    }

    [Fact]
    public void Value_lists_and_site_info_must_decode()
    {
        AssertInvalid(Validator().CheckValues([Value(1, "HS_VLIST", [1, 2, 3])]), "not a value list");
        AssertInvalid(Validator().CheckValues([Value(1, "HS_VLIST", ValueList.Encode([new ValueReference("88..1/x", 1)]))]), "not a valid handle");
        AssertInvalid(Validator().CheckValues([Value(1, "HS_SITE", [1, 2, 3])]), "not site information");
        AssertInvalid(Validator().CheckValues([Value(1, "HS_SITE.6", [1, 2, 3])]), "not site information");
    }

    [Theory]
    [InlineData("no-slash")]
    [InlineData("88.1/")]
    [InlineData(" 88.1/x")]
    [InlineData("")]
    public void A_reference_to_an_invalid_handle_is_refused(string handle) =>
        AssertInvalid(Validator().CheckValues([Value(1) with { References = [new ValueReference(handle, 1)] }]), "not a valid handle");

    [Fact]
    public void A_reference_to_a_reserved_index_or_too_many_references_are_refused()
    {
        AssertInvalid(Validator().CheckValues([Value(1) with { References = [new ValueReference("88.1/x", 0)] }]), "out of range");

        var validator = Validator(new RecordLimits { MaxReferencesPerValue = 2 });
        ValueReference[] three = [new("88.1/a", 1), new("88.1/b", 1), new("88.1/c", 1)];
        Assert.Null(validator.CheckValues([Value(1) with { References = three[..2] }]));
        AssertInvalid(validator.CheckValues([Value(1) with { References = three }]), "references");
    }

    [Theory]
    [InlineData("", "no type")]
    [InlineData("URL X", "white space")]
    [InlineData(" URL", "white space")]
    [InlineData("URL\t", "white space")]
    [InlineData("URL\u0000", "control character")]
    [InlineData("URL\u0085", "control character")]
    [InlineData("URL\u3000X", "white space")]
    public void Types_with_no_text_space_or_control_characters_are_refused(string type, string because) =>
        AssertInvalid(Validator().CheckValues([Value(1, type)]), because);

    [Fact]
    public void A_type_with_an_unpaired_surrogate_is_refused() =>
        AssertInvalid(Validator().CheckValues([Value(1, "URL\uD800")]), "invalid text");

    [Fact]
    public void Types_above_the_byte_limit_are_refused()
    {
        Assert.Null(Validator().CheckValues([Value(1, new string('T', 128))]));
        AssertInvalid(Validator().CheckValues([Value(1, new string('T', 129))]), "longer than 128 bytes");
        AssertInvalid(Validator().CheckValues([Value(1, string.Concat(Enumerable.Repeat("类", 43)))]), "longer than 128 bytes");
    }

    [Theory]
    [InlineData(TtlType.Relative, -1L, false)]
    [InlineData(TtlType.Relative, 0L, true)]
    [InlineData(TtlType.Relative, int.MaxValue, true)]
    [InlineData(TtlType.Relative, int.MaxValue + 1L, false)]
    [InlineData(TtlType.Absolute, -1L, false)]
    [InlineData(TtlType.Absolute, uint.MaxValue, true)]
    [InlineData(TtlType.Absolute, uint.MaxValue + 1L, false)]
    public void Ttls_fit_their_wire_field(TtlType ttlType, long ttl, bool valid) =>
        Assert.Equal(valid, Validator().CheckValue(Value() with { TtlType = ttlType, Ttl = ttl }) is null);

    [Fact]
    public void Unknown_permission_bits_are_refused() =>
        AssertInvalid(Validator().CheckValues([Value() with { Permissions = (ValuePermissions)0x10 }]), "permission bits");
}
