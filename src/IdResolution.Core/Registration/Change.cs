using IdResolution.Core.Records;

namespace IdResolution.Core.Registration;

/// <summary>
/// What one write makes of the record it found: a refusal, no change (an idempotent retry),
/// a new value set, or a deletion (<see cref="Values"/> null and nothing else set).
/// </summary>
internal readonly record struct Change(Refusal? Refusal, bool Unchanged, IReadOnlyList<HandleValue>? Values)
{
    public static Change Refuse(HandleResponseCode code, string message) => new(new Refusal(code, message), false, null);

    public static Change None => new(null, true, null);

    public static Change Set(IReadOnlyList<HandleValue> values) => new(null, false, values);

    public static Change Remove => new(null, false, null);
}
