using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace IdResolution.Cql.Execution;

/// <summary>
/// The key/value pairs of whatever a caller binds to a CQL map: a non-generic <see cref="IDictionary"/>,
/// or any sequence of <see cref="KeyValuePair{TKey, TValue}"/> (Dictionary, IReadOnlyDictionary,
/// SortedDictionary, immutable dictionaries, a list of pairs). Enumerating a generic dictionary through
/// the non-generic <see cref="IEnumerable"/> yields boxed KeyValuePairs, not DictionaryEntry, so neither
/// view can be assumed.
/// </summary>
internal static class MapEntries
{
    private static readonly ConcurrentDictionary<Type, (PropertyInfo Key, PropertyInfo Value)?> PairTypes = new();

    public static IReadOnlyCollection<KeyValuePair<object?, object?>> Of(IEnumerable map)
    {
        var entries = new List<KeyValuePair<object?, object?>>();
        if (map is IDictionary dictionary)
        {
            var enumerator = dictionary.GetEnumerator();
            while (enumerator.MoveNext())
            {
                entries.Add(new(enumerator.Key, enumerator.Value));
            }

            return entries;
        }

        foreach (var item in map)
        {
            entries.Add(item switch
            {
                DictionaryEntry entry => new(entry.Key, entry.Value),
                not null when Pair(item.GetType()) is { } pair => new(pair.Key.GetValue(item), pair.Value.GetValue(item)),
                _ => throw new ArgumentException($"A {map.GetType().Name} is not a map: its items are {item?.GetType().Name ?? "null"}, not key/value pairs."),
            });
        }

        return entries;
    }

    private static (PropertyInfo Key, PropertyInfo Value)? Pair(Type type) => PairTypes.GetOrAdd(type, static candidate =>
        candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(KeyValuePair<,>)
            ? (candidate.GetProperty(nameof(KeyValuePair<int, int>.Key))!, candidate.GetProperty(nameof(KeyValuePair<int, int>.Value))!)
            : null);
}
