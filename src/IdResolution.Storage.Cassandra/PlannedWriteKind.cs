namespace IdResolution.Storage.Cassandra;

/// <summary>Which conditional statement a write becomes.</summary>
internal enum PlannedWriteKind
{
    /// <summary>INSERT … IF NOT EXISTS, after the listing row.</summary>
    Create,

    /// <summary>UPDATE … IF version = expected.</summary>
    Update,

    /// <summary>DELETE … IF version = expected.</summary>
    Delete,

    /// <summary>A delete of a handle that must not exist: nothing to write, a SERIAL read decides.</summary>
    ConfirmAbsent,
}
