using System.Security.Cryptography;
using IdResolution.Core.Security;

namespace IdResolution.Federation.Credentials;

/// <summary>
/// The <c>authorization</c> header of node-to-node calls: <c>IdresNode &lt;assertion&gt;</c>, signed with
/// the node key. One assertion serves every call for half its lifetime, so the other node still accepts
/// it (allowing for clock skew) and this one signs about once a minute, not once per call.
/// </summary>
internal sealed class AssertionSource(ECDsa key, string issuer, TimeSpan lifetime, TimeProvider time)
{
    public const string Header = "authorization";

    private readonly Lock _signing = new();
    private Issued? _current;

    public string Value
    {
        get
        {
            var now = time.GetUtcNow();
            var current = Volatile.Read(ref _current);
            if (current is not null && now < current.RenewAt)
            {
                return current.Value;
            }

            // The key object is not documented as safe for concurrent signing; renewals are rare, so they take turns.
            lock (_signing)
            {
                current = _current;
                if (current is null || now >= current.RenewAt)
                {
                    current = new Issued(NodeAssertion.Scheme + " " + NodeAssertion.Create(key, issuer, now, lifetime), now + (lifetime / 2));
                    Volatile.Write(ref _current, current);
                }

                return current.Value;
            }
        }
    }

    private sealed record Issued(string Value, DateTimeOffset RenewAt);
}
