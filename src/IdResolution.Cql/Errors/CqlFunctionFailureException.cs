namespace IdResolution.Cql.Errors;

/// <summary>Function_failure 0x1400: a user-defined function threw.</summary>
public sealed class CqlFunctionFailureException : CqlServerException
{
    public CqlFunctionFailureException(string message, string keyspace, string function, IReadOnlyList<string> argumentTypes)
        : base(CqlErrorCode.FunctionFailure, message)
    {
        Keyspace = keyspace;
        Function = function;
        ArgumentTypes = argumentTypes;
    }

    public string Keyspace { get; }

    public string Function { get; }

    /// <summary>The CQL type of each argument, which tells overloads apart.</summary>
    public IReadOnlyList<string> ArgumentTypes { get; }
}
