namespace IdResolution.Core.Records;

/// <summary>A reference from a value to a value of another handle (<c>index:handle</c>).</summary>
public readonly record struct ValueReference(string Handle, int Index);
