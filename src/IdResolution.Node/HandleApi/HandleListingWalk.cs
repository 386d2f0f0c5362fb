using IdResolution.Core;
using IdResolution.Core.Registration;
using IdResolution.Core.Security;

namespace IdResolution.Node.HandleApi;

/// <summary>One page of a Handle.Net listing and the number of handles under the prefix.</summary>
internal sealed record HandlePage(IReadOnlyList<string> Handles, long TotalCount);

/// <summary>
/// Handle.Net's page-number listing over the core's cursor listing: walks the prefix in pages of the
/// registry's largest size (each authorised by the core), keeping only the requested page and counting all.
/// </summary>
internal static class HandleListingWalk
{
    public static async ValueTask<Outcome<HandlePage>> ListAsync(Registrar registrar, Caller caller, string prefix, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var paged = page is not null && pageSize is not null;
        var size = paged ? Math.Min(pageSize!.Value, registrar.Options.MaxPageSize) : 0;
        var skip = paged ? (long)page!.Value * size : 0;
        var handles = new List<string>();
        long total = 0;
        string? token = null;
        do
        {
            var outcome = await registrar.ListAsync(caller, prefix, registrar.Options.MaxPageSize, token, cancellationToken);
            if (!outcome.IsSuccess)
            {
                return outcome.Cast<HandlePage>();
            }

            foreach (var handle in outcome.Value.Handles)
            {
                if (!paged || (total >= skip && handles.Count < size))
                {
                    handles.Add(handle);
                }

                total++;
            }

            token = outcome.Value.NextPageToken;
        }
        while (token is not null);

        return Outcome<HandlePage>.Ok(new HandlePage(handles, total));
    }
}
