namespace IdResolution.Core.Records;

/// <summary>
/// A stored handle: its display spelling, its values ordered by index, and a version that changes
/// with every write (the stores compare it to refuse lost updates).
/// </summary>
public sealed class HandleRecord
{
    public HandleRecord(string handle, IReadOnlyList<HandleValue> values, long version)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(values);
        Handle = handle;
        Values = values;
        Version = version;
    }

    public string Handle { get; }

    public IReadOnlyList<HandleValue> Values { get; }

    public long Version { get; }

    public HandleValue? Find(int index)
    {
        foreach (var value in Values)
        {
            if (value.Index == index)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>True when both hold the same values, timestamps aside: what makes a retried create a success.</summary>
    public bool SameValues(IReadOnlyList<HandleValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != Values.Count)
        {
            return false;
        }

        foreach (var value in values)
        {
            var mine = Find(value.Index);
            if (mine is null || !mine.SameContent(value))
            {
                return false;
            }
        }

        return true;
    }
}
