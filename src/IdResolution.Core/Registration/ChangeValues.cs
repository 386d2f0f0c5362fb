using System.Globalization;
using IdResolution.Core.Records;

namespace IdResolution.Core.Registration;

/// <summary>The rules of each write operation, applied to the record as found (Handle.Net's semantics).</summary>
internal static class ChangeValues
{
    public static Change Create(HandleRecord? current, IReadOnlyList<HandleValue> values, bool overwrite)
    {
        if (current is not null)
        {
            // A client that lost the reply to its create may send it again: same values, same answer.
            if (current.SameValues(values))
            {
                return Change.None;
            }

            if (!overwrite)
            {
                return Change.Refuse(HandleResponseCode.HandleAlreadyExists,
                    $"handle '{current.Handle}' already exists with other values; set overwrite to replace them");
            }
        }

        return Change.Set(values);
    }

    public static Change Delete(HandleRecord? current) => current is null ? NotFound() : Change.Remove;

    public static Change Add(HandleRecord? current, IReadOnlyList<HandleValue> values)
    {
        if (current is null)
        {
            return NotFound();
        }

        foreach (var value in values)
        {
            if (current.Find(value.Index) is not null)
            {
                return Change.Refuse(HandleResponseCode.ValueAlreadyExists,
                    Invariant($"handle '{current.Handle}' already has a value at index {value.Index}; modify it instead"));
            }
        }

        return Change.Set([.. current.Values, .. values]);
    }

    public static Change Modify(HandleRecord? current, IReadOnlyList<HandleValue> values)
    {
        if (current is null)
        {
            return NotFound();
        }

        if (FirstMissing(current, values.Select(v => v.Index)) is { } missing)
        {
            return MissingValue(current, missing);
        }

        return Change.Set(Merge(current, values, []));
    }

    /// <summary>Sets the given values (adding or replacing by index) and removes the listed indexes.</summary>
    public static Change Update(HandleRecord? current, IReadOnlyList<HandleValue> values, IReadOnlyList<int> removeIndexes)
    {
        if (current is null)
        {
            return NotFound();
        }

        if (FirstMissing(current, removeIndexes) is { } missing)
        {
            return MissingValue(current, missing);
        }

        return Change.Set(Merge(current, values, removeIndexes));
    }

    private static List<HandleValue> Merge(HandleRecord current, IReadOnlyList<HandleValue> values, IReadOnlyList<int> removeIndexes)
    {
        var byIndex = current.Values.ToDictionary(v => v.Index);
        foreach (var index in removeIndexes)
        {
            byIndex.Remove(index);
        }

        foreach (var value in values)
        {
            byIndex[value.Index] = value;
        }

        return [.. byIndex.Values];
    }

    private static int? FirstMissing(HandleRecord current, IEnumerable<int> indexes)
    {
        foreach (var index in indexes)
        {
            if (current.Find(index) is null)
            {
                return index;
            }
        }

        return null;
    }

    private static Change NotFound() => Change.Refuse(HandleResponseCode.HandleNotFound, "the handle is not registered on this node");

    private static Change MissingValue(HandleRecord current, int index) => Change.Refuse(HandleResponseCode.ValuesNotFound,
        Invariant($"handle '{current.Handle}' has no value at index {index}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
