namespace IdResolution.Cli;

/// <summary>
/// A failure the command line reports and exits with: what went wrong in words, the exit code, and, when the
/// node answered, its gRPC status and Handle response code.
/// </summary>
internal sealed class CliFailure : Exception
{
    public CliFailure(int exitCode, string message, string? status = null, int responseCode = 0, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
        Status = status;
        ResponseCode = responseCode;
    }

    public CliFailure()
        : this(ExitCodes.Failed, "the command failed")
    {
    }

    public CliFailure(string message)
        : this(ExitCodes.Failed, message)
    {
    }

    public CliFailure(string message, Exception inner)
        : this(ExitCodes.Failed, message, inner: inner)
    {
    }

    public int ExitCode { get; }

    /// <summary>The gRPC status name (NOT_FOUND, UNAVAILABLE, ...) when the node answered with an error, else null.</summary>
    public string? Status { get; }

    /// <summary>The Handle response code from the error's details, 0 when there was none.</summary>
    public int ResponseCode { get; }

    public static CliFailure Usage(string message) => new(ExitCodes.Usage, message);
}
