using System.Diagnostics.CodeAnalysis;

namespace IdResolution.Core;

/// <summary>
/// What a core operation produced: a value on success, otherwise a Handle response code and a
/// message a person can act on. Failures are values, not exceptions, because not-found and
/// already-exists are everyday answers on the hot path and in batches.
/// </summary>
public readonly struct Outcome<T>
{
    private Outcome(HandleResponseCode code, T? value, string? message, string? reason = null)
    {
        Code = code;
        Value = value;
        Message = message ?? string.Empty;
        Reason = reason;
    }

    public HandleResponseCode Code { get; }

    public T? Value { get; }

    public string Message { get; }

    /// <summary>
    /// A finer reason than the code where clients must tell cases apart (e.g. <c>UPSTREAM_UNAVAILABLE</c>:
    /// code 2 because another node could not be reached); surfaces name it in their error details.
    /// </summary>
    public string? Reason { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsSuccess => Code == HandleResponseCode.Success;

    public static Outcome<T> Ok(T value) => new(HandleResponseCode.Success, value, null);

    public static Outcome<T> Fail(HandleResponseCode code, string message, string? reason = null) => new(code, default, message, reason);

    public Outcome<TOther> Cast<TOther>() => IsSuccess
        ? throw new InvalidOperationException("Only failures can change type.")
        : Outcome<TOther>.Fail(Code, Message, Reason);
}
