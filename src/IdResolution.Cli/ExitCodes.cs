namespace IdResolution.Cli;

/// <summary>
/// The process exit codes, one per kind of outcome a script can act on (README "Command line" lists them).
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Some items of a batch, an import or a many-handle command failed; the rest succeeded.</summary>
    public const int PartlyFailed = 1;

    /// <summary>Bad command line or input: unknown option, malformed file, invalid handle or value (Handle 102, 202, 4).</summary>
    public const int Usage = 2;

    /// <summary>Handle 100 (handle not found) or 200 (value not found).</summary>
    public const int NotFound = 3;

    /// <summary>Handle 101 (handle exists with other values) or 201 (value index taken).</summary>
    public const int Conflict = 4;

    /// <summary>Not signed in, not permitted, or not this node's identifier (Handle 401, 402, 403, 301).</summary>
    public const int Refused = 5;

    /// <summary>The node cannot be reached, is busy (Handle 3) or did not answer in time; retrying later may work.</summary>
    public const int Unavailable = 6;

    /// <summary>The node does not serve this call (gRPC UNIMPLEMENTED): it is older than this command line.</summary>
    public const int NotSupported = 7;

    /// <summary>Anything else the node reported (Handle 2 server error, gRPC INTERNAL, ...).</summary>
    public const int Failed = 8;

    /// <summary>Stopped by Ctrl-C or SIGTERM; an import or export resumes from its checkpoint.</summary>
    public const int Interrupted = 130;

    /// <summary>The exit code for a Handle response code other than success.</summary>
    public static int ForResponseCode(int responseCode) => responseCode switch
    {
        1 => Success,
        100 or 200 => NotFound,
        101 or 201 => Conflict,
        102 or 202 or 4 => Usage,
        301 or 401 or 402 or 403 => Refused,
        3 => Unavailable,
        _ => Failed,
    };
}
