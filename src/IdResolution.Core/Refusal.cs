namespace IdResolution.Core;

/// <summary>Why a request was refused before it reached a store: a Handle response code and a message.</summary>
public readonly record struct Refusal(HandleResponseCode Code, string Message)
{
    public static Refusal InvalidValue(string message) => new(HandleResponseCode.InvalidValue, message);

    public Outcome<T> As<T>() => Outcome<T>.Fail(Code, Message);
}
