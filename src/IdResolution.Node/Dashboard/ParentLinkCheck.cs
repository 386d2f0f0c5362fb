using IdResolution.Core.Composition;
using IdResolution.Core.Federation;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// The link to the parent: a referral lookup of this node's own prefix through the node link (the same
/// client, credentials and circuit breaker the node's filings and referrals use). Any answer, even a
/// refusal, means the parent is reachable; its words are in the detail. A top level has no parent.
/// </summary>
internal sealed class ParentLinkCheck(CoreServices core, INodeLink link) : IDependencyCheck
{
    public string Name => "parent";

    public bool Essential => false;

    public async ValueTask<DependencyReading> CheckAsync(CancellationToken cancellationToken)
    {
        if (core.Referrals.Parent is not { } parent)
        {
            return DependencyReading.NotConfigured("no parent (a top level, or Federation:Parent not set)");
        }

        try
        {
            var answer = await link.GetReferralAsync(parent, LinkProbe.HandleFor(core.Jurisdiction.NodePrefix), cancellationToken);
            return answer.Code switch
            {
                Core.HandleResponseCode.PrefixReferral or Core.HandleResponseCode.Success => DependencyReading.Up($"{parent.Prefix} answers"),
                _ => DependencyReading.Up($"{parent.Prefix} answers with code {(int)answer.Code}: {answer.Message}"),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (RemoteUnavailableException unavailable)
        {
            return DependencyReading.Down($"{parent.Prefix} unreachable: {unavailable.Message}");
        }
#pragma warning disable CA1031 // Whatever failed, the parent did not answer; the reading says what.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return DependencyReading.Down($"{parent.Prefix} unreachable: {exception.Message}");
        }
    }
}
