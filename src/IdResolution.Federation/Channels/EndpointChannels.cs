using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using IdResolution.Federation.Telemetry;
using Microsoft.Extensions.Logging;
using Contract = IdResolution.Contracts.V1;

namespace IdResolution.Federation.Channels;

/// <summary>
/// One gRPC channel per remote endpoint, made on first use and closed once unused for the idle time.
/// Each channel has its own <see cref="SocketsHttpHandler"/> rather than all sharing one: the handler's
/// certificate callback is told only the host name, not which endpoint (port, pins) it is connecting to,
/// so a shared handler could not hold each endpoint to its own pins. Connections are pooled per endpoint
/// either way. A channel in use by a call is never closed under it.
/// </summary>
internal sealed class EndpointChannels : IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _adding = new();
    private readonly X509Certificate2? _clientCertificate;
    private readonly TimeSpan _connectTimeout;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ITimer _sweeper;

    public EndpointChannels(X509Certificate2? clientCertificate, TimeSpan connectTimeout, TimeSpan idleTimeout, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _clientCertificate = clientCertificate;
        _connectTimeout = connectTimeout;
        _idleTimeout = idleTimeout;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("IdResolution.Federation.Channels");
        var period = idleTimeout / 2 > TimeSpan.FromMilliseconds(10) ? idleTimeout / 2 : TimeSpan.FromMilliseconds(10);
        _sweeper = time.CreateTimer(static state => ((EndpointChannels)state!).Sweep(), this, period, period);
    }

    /// <summary>Open channels, for tests and diagnostics.</summary>
    public int Count => _entries.Count;

    /// <summary>The client for <paramref name="endpoint"/>; dispose the lease when the call is over.</summary>
    public Lease Rent(EndpointIdentity endpoint)
    {
        while (true)
        {
            if (!_entries.TryGetValue(endpoint.Key, out var entry))
            {
                lock (_adding)
                {
                    if (!_entries.TryGetValue(endpoint.Key, out entry))
                    {
                        entry = new Entry(endpoint, Open(endpoint), _time.GetTimestamp());
                        _entries[endpoint.Key] = entry;
                        LinkLog.ChannelOpened(_logger, endpoint.Url);
                    }
                }
            }

            if (entry.TryAcquire())
            {
                return new Lease(this, entry);
            }

            // Closed by the sweeper between the lookup and now: out of the map with it, and the next turn opens a fresh one.
            _entries.TryRemove(KeyValuePair.Create(endpoint.Key, entry));
        }
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        foreach (var entry in _entries.Values)
        {
            entry.Channel.Dispose();
        }

        _entries.Clear();
    }

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var (key, entry) in _entries)
        {
            var idle = _time.GetElapsedTime(entry.LastUsed, now);
            if (idle >= _idleTimeout && entry.TryRetire())
            {
                _entries.TryRemove(KeyValuePair.Create(key, entry));
                entry.Channel.Dispose();
                LinkLog.ChannelClosed(_logger, entry.Endpoint.Url, idle);
            }
        }
    }

    private GrpcChannel Open(EndpointIdentity endpoint)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = _idleTimeout,
            ConnectTimeout = _connectTimeout,
            // A peer that vanished without closing its connections is noticed between calls, not by the next call's timeout.
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        };
        if (endpoint.IsTls)
        {
            var client = _clientCertificate;
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = endpoint.Check!.Validate,
                // Nodes' certificates are often self-signed, so the server's list of acceptable issuers would exclude them.
                LocalCertificateSelectionCallback = client is null ? null : (_, _, _, _, _) => client,
            };
        }

        return GrpcChannel.ForAddress(endpoint.Address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            // Polly's timeouts recognise their own cancellation only as OperationCanceledException.
            ThrowOperationCanceledOnCancellation = true,
            LoggerFactory = _loggerFactory,
        });
    }

    /// <summary>A channel and how many calls use it; -1 once retired by the sweeper.</summary>
    internal sealed class Entry(EndpointIdentity endpoint, GrpcChannel channel, long opened)
    {
        private int _users;
        private long _lastUsed = opened;

        public EndpointIdentity Endpoint { get; } = endpoint;

        public GrpcChannel Channel { get; } = channel;

        public Contract.Federation.FederationClient Client { get; } = new(channel);

        public Contract.Operations.OperationsClient Operations { get; } = new(channel);

        public Contract.Escrow.EscrowClient Escrow { get; } = new(channel);

        public long LastUsed => Volatile.Read(ref _lastUsed);

        public bool TryAcquire()
        {
            while (true)
            {
                var users = Volatile.Read(ref _users);
                if (users < 0)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _users, users + 1, users) == users)
                {
                    return true;
                }
            }
        }

        public void Release(long now)
        {
            Volatile.Write(ref _lastUsed, now);
            Interlocked.Decrement(ref _users);
        }

        public bool TryRetire() => Interlocked.CompareExchange(ref _users, -1, 0) == 0;
    }

    /// <summary>A call's use of a channel.</summary>
    internal readonly struct Lease(EndpointChannels owner, Entry entry) : IDisposable
    {
        public Contract.Federation.FederationClient Client => entry.Client;

        public Contract.Operations.OperationsClient Operations => entry.Operations;

        public Contract.Escrow.EscrowClient Escrow => entry.Escrow;

        /// <summary>The endpoint as the channel was opened for it: its certificate check says why a handshake failed.</summary>
        public EndpointIdentity Endpoint => entry.Endpoint;

        public void Dispose() => entry.Release(owner._time.GetTimestamp());
    }
}
