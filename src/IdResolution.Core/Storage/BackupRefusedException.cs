namespace IdResolution.Core.Storage;

/// <summary>A backup or restore that cannot start as asked (target in use, not empty, source incomplete or damaged); nothing was changed.</summary>
public sealed class BackupRefusedException : Exception
{
    public BackupRefusedException()
    {
    }

    public BackupRefusedException(string message)
        : base(message)
    {
    }

    public BackupRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
