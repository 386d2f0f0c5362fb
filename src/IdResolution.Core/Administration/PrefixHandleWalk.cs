using IdResolution.Core.Caching;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Security;

namespace IdResolution.Core.Administration;

/// <summary>Every prefix handle this node stores (<c>0.NA/*</c>), read page by page through the registrar's listing.</summary>
internal static class PrefixHandleWalk
{
    private const int PageSize = 1000;

    /// <summary>Each prefix handle as (the bare prefix as registered, its record), in listing order.</summary>
    public static async ValueTask<Outcome<IReadOnlyList<(string Prefix, HandleRecord Record)>>> ReadAllAsync(Registrar registrar, CoalescingRecordSource source,
        HandleGrammar grammar, Caller caller, CancellationToken cancellationToken)
    {
        var found = new List<(string, HandleRecord)>();
        string? token = null;
        do
        {
            var page = await registrar.ListAsync(caller, HandleId.NamingAuthorityPrefix, PageSize, token, cancellationToken);
            if (!page.IsSuccess)
            {
                return page.Cast<IReadOnlyList<(string, HandleRecord)>>();
            }

            foreach (var handle in page.Value.Handles)
            {
                if (grammar.TryParse(handle, out var id, out _) && await source.GetAsync(id.Key, cancellationToken) is { } record)
                {
                    found.Add((id.Suffix.ToString(), record));
                }
            }

            token = page.Value.NextPageToken;
        }
        while (token is not null);

        return Outcome<IReadOnlyList<(string, HandleRecord)>>.Ok(found);
    }
}
