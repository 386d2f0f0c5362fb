using IdResolution.Core;
using IdResolution.Core.Registration;
using IdResolution.Core.Security;

namespace IdResolution.Node.HandleApi;

/// <summary>
/// Handle.Net's page-number listing over the core's cursor listing: reads the prefix in store pages of
/// <c>Registry:MaxPageSize</c> (each authorised by the core), passes over the first <paramref name="skip"/>
/// handles and hands out the next <paramref name="take"/> a store page at a time, so a page of any size,
/// or the whole prefix, goes out without being held in memory.
/// </summary>
internal sealed class HandleListingWalk(Registrar registrar, Caller caller, string prefix, long skip, long take)
{
    private string? _token;
    private long _skipped;
    private long _taken;
    private bool _ended;

    /// <summary>How many handles were handed out so far.</summary>
    public long Taken => _taken;

    /// <summary>The next handles of the range; empty once it is done.</summary>
    public async ValueTask<Outcome<IReadOnlyList<string>>> NextAsync(CancellationToken cancellationToken)
    {
        while (!_ended && _taken < take)
        {
            var outcome = await registrar.ListAsync(caller, prefix, registrar.Options.MaxPageSize, _token, cancellationToken);
            if (!outcome.IsSuccess)
            {
                return outcome.Cast<IReadOnlyList<string>>();
            }

            var handles = outcome.Value.Handles;
            _token = outcome.Value.NextPageToken;
            _ended = _token is null;
            var from = (int)Math.Min(handles.Count, skip - _skipped);
            _skipped += from;
            var count = (int)Math.Min(handles.Count - from, take - _taken);
            if (count > 0)
            {
                _taken += count;
                return Outcome<IReadOnlyList<string>>.Ok(from == 0 && count == handles.Count ? handles : handles.Skip(from).Take(count).ToArray());
            }
        }

        return Outcome<IReadOnlyList<string>>.Ok([]);
    }
}
