using System.Text;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;

namespace IdResolution.StoreContract;

/// <summary>
/// What every <see cref="IHandleStore"/> must do, as tests. A store's test project subclasses this
/// and implements <see cref="OpenStoreAsync"/>; xunit makes one instance per test, so each test
/// gets its own data, and every call within one instance must open the same data (reopen tests
/// rely on it). Stores opened through <see cref="OpenAsync"/> are disposed after the test
/// (disposing twice must be harmless), then <see cref="DeleteStoreAsync"/> runs.
/// </summary>
public abstract partial class HandleStoreContract : IAsyncDisposable
{
    protected const string Prefix = "88.709.911";

    private static readonly HandleGrammar Grammar = new(new HandleSyntaxOptions());
    private readonly List<IHandleStore> _opened = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens the store under test over this test's data; the same data on every call.</summary>
    protected abstract ValueTask<IHandleStore> OpenStoreAsync();

    /// <summary>Removes this test's data; runs after every store the test opened was disposed.</summary>
    protected virtual ValueTask DeleteStoreAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Returns once readers of <paramref name="store"/>'s change log see every change it acknowledged so far.
    /// Immediate where entries are written with the change; a store whose readers wait out a settle window
    /// moves its clock past it, or polls until its readers have caught up.
    /// </summary>
    protected virtual ValueTask SettleChangesAsync(IHandleStore store) => ValueTask.CompletedTask;

    /// <summary>Lets <paramref name="span"/> pass on the clock the store times leases by, where the test owns it; nothing otherwise.</summary>
    protected virtual ValueTask PassTimeAsync(TimeSpan span) => ValueTask.CompletedTask;

    /// <summary>
    /// Whether the change log holds every applied change. A store that confirms its log rows against the
    /// records (Cassandra) delivers only each handle's current state when a later change superseded a row
    /// before it was read; the final state of every handle is always delivered.
    /// </summary>
    protected virtual bool ChangeLogKeepsEveryChange => true;

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        await DeleteStoreAsync();
        GC.SuppressFinalize(this);
    }

    protected async Task<IHandleStore> OpenAsync()
    {
        var store = await OpenStoreAsync();
        _opened.Add(store);
        return store;
    }

    /// <summary>The canonical key of a handle, as the node stores it.</summary>
    protected static string Key(string handle) =>
        Grammar.TryParse(handle, out var id, out var error) ? id.Key : throw new ArgumentException(Grammar.Describe(error), nameof(handle));

    protected static HandleValue Text(int index, string data, string type = WellKnownTypes.Url) =>
        new() { Index = index, Type = type, Data = Encoding.UTF8.GetBytes(data), Timestamp = 1_700_000_000 };

    /// <summary>A value whose data is derived from its index, so a reader can tell a torn or mixed-up value.</summary>
    protected static HandleValue Marked(int index) => Text(index, MarkOf(index));

    protected static string MarkOf(int index) => $"https://example.org/value/{index}";

    protected static HandleRecord Record(string handle, long version, params HandleValue[] values) =>
        new(handle, [.. values.OrderBy(v => v.Index)], version);

    protected static string DataOf(HandleValue value) => Encoding.UTF8.GetString(value.Data.Span);

    protected static void AssertSameRecord(HandleRecord expected, HandleRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Handle, actual.Handle);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Values.Count, actual.Values.Count);
        for (var i = 0; i < expected.Values.Count; i++)
        {
            // HandleValue equality covers every field, the timestamp included.
            Assert.Equal(expected.Values[i], actual.Values[i]);
        }
    }

    /// <summary>A record as a concurrent reader must see it: whole values, distinct indexes, each value intact.</summary>
    protected static void AssertConsistent(HandleRecord? record, int baseIndex)
    {
        Assert.NotNull(record);
        Assert.NotNull(record.Find(baseIndex));
        var seen = new HashSet<int>();
        foreach (var value in record.Values)
        {
            Assert.True(seen.Add(value.Index), $"index {value.Index} appears twice");
            Assert.Equal(MarkOf(value.Index), DataOf(value));
        }
    }

    protected static async Task<StoreWriteResult> WriteOneAsync(IHandleStore store, StoreWrite write) =>
        Assert.Single(await store.WriteAsync([write], Ct));

    /// <summary>Polls <paramref name="condition"/> until it holds; only a hang reaches the deadline.</summary>
    protected static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(20, Ct);
        }
    }
}
