using System.Security.Cryptography;
using IdResolution.Core.Records;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace IdResolution.Node.Security;

/// <summary>
/// Challenge sessions of the <c>Handle</c> scheme, in memory and bounded in number. A session is
/// issued with a random nonce that may be answered once, within the lifetime; a right answer
/// makes the session carry the identity for one more lifetime, so the client may go on with
/// <c>Authorization: Handle sessionId="…"</c> alone. Expiry is judged by the node's
/// <see cref="TimeProvider"/>; the cache's own expiry only reclaims memory.
/// </summary>
internal sealed class HandleSessionStore : IDisposable
{
    public const int NonceBytes = 32;
    private const int SessionIdBytes = 16;
    private readonly MemoryCache _sessions;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public HandleSessionStore(IOptions<HandleSecurityOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var sessions = options.Value.HandleSessions;
        if (sessions.LifetimeSeconds <= 0 || sessions.MaxSessions <= 0)
        {
            throw new InvalidOperationException("Security:HandleSessions:LifetimeSeconds and MaxSessions must be positive.");
        }

        _lifetime = sessions.Lifetime;
        _time = time;
        _sessions = new MemoryCache(new MemoryCacheOptions { SizeLimit = sessions.MaxSessions, CompactionPercentage = 0.1 });
    }

    /// <summary>A new session with a fresh nonce, or null when there is no room for one now.</summary>
    public HandleSession? Create()
    {
        var session = new HandleSession(
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SessionIdBytes)),
            RandomNumberGenerator.GetBytes(NonceBytes),
            _time.GetUtcNow() + _lifetime);
        Keep(session);
        return _sessions.TryGetValue(session.Id, out _) ? session : null;
    }

    /// <summary>The live session of that id, or null when it is unknown or has expired.</summary>
    public HandleSession? Find(string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out HandleSession? session) || session is null)
        {
            return null;
        }

        if (session.ExpiresAt <= _time.GetUtcNow())
        {
            _sessions.Remove(sessionId);
            return null;
        }

        return session;
    }

    /// <summary>Records a right answer: the session now carries <paramref name="identity"/> for one lifetime from now.</summary>
    public void Authenticate(HandleSession session, ValueReference identity)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.Authenticated(identity, _time.GetUtcNow() + _lifetime);
        Keep(session);
    }

    public void Dispose() => _sessions.Dispose();

    private void Keep(HandleSession session) =>
        _sessions.Set(session.Id, session, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _lifetime });
}

/// <summary>One challenge session: its id, its nonce (usable once) and, once answered, the identity.</summary>
internal sealed class HandleSession
{
    private State _state;
    private int _nonceUsed;

    public HandleSession(string id, byte[] nonce, DateTimeOffset expiresAt)
    {
        Id = id;
        Nonce = nonce;
        _state = new State(null, expiresAt);
    }

    public string Id { get; }

    public byte[] Nonce { get; }

    public DateTimeOffset ExpiresAt => Volatile.Read(ref _state).ExpiresAt;

    /// <summary>The identity a right answer proved, or null while the challenge is open.</summary>
    public ValueReference? Identity => Volatile.Read(ref _state).Identity;

    /// <summary>True for the first caller only: whatever the outcome of its check, no one may answer this nonce again.</summary>
    public bool TryUseNonce() => Interlocked.Exchange(ref _nonceUsed, 1) == 0;

    internal void Authenticated(ValueReference identity, DateTimeOffset expiresAt) => Volatile.Write(ref _state, new State(identity, expiresAt));

    private sealed record State(ValueReference? Identity, DateTimeOffset ExpiresAt);
}
