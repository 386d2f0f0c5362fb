using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>
/// A real node process under a bounded storm of malformed requests on both ports (loopback only):
/// no request may get a 5xx or a gRPC INTERNAL/UNKNOWN, the process must stay up with bounded
/// memory, and records written before must come out byte-for-byte unchanged. Each run picks a
/// random seed and names it in every failure; <c>IDRES_FUZZ_SEED=&lt;seed&gt;</c> replays that run.
/// </summary>
public sealed class FuzzTests
{
    private const int Requests = 100_000;
    private const int Concurrency = 64;

    /// <summary>
    /// An idle node is about 150 MB and stays near 250 MB under this fuzz. Bodies over the 8 MiB
    /// limit are refused before they are read, and the largest ones the fuzz sends within it are about
    /// 300 KB, so 64 requests in flight add tens of MB; 1 GiB leaves room for GC slack and caches while
    /// a leak of 8 KB per request (800 MB over the run) would cross it.
    /// </summary>
    private const long MaxResidentBytes = 1L << 30;

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Malformed_requests_never_get_a_server_error_nor_crash_the_node_nor_change_records()
    {
        var seed = FuzzSeed.Pick();
        var output = TestContext.Current.TestOutputHelper;

        using var data = new TempDirectory();
        await using var node = await NodeProcess.StartAsync(data.Path, TimeSpan.FromSeconds(60), "--RateLimits:Enabled=false");
        var before = await WriteAndReadProtectedRecordsAsync(node);

        using var http1 = new HttpClient(new SocketsHttpHandler
        {
            // Header bytes above 0x7F go out as they are instead of failing in the client.
            RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1,
            MaxConnectionsPerServer = Concurrency,
        })
        { BaseAddress = new Uri($"http://127.0.0.1:{node.HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        using var h2c = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true })
        { BaseAddress = new Uri($"http://127.0.0.1:{node.GrpcPort}"), Timeout = TimeSpan.FromSeconds(30) };

        var tally = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var failures = new ConcurrentQueue<string>();
        var busy = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var maxRss = ResidentBytes(node);   // written by the sampler only, until it ends
        using var stop = new CancellationTokenSource(Deadline);
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                maxRss = Math.Max(maxRss, ResidentBytes(node));
                await Task.Delay(100, CancellationToken.None);
            }
        });

        var clock = Stopwatch.StartNew();
        var next = -1;
        var sent = 0;
        var workers = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Requests && !stop.IsCancellationRequested && !node.HasExited)
            {
                var fuzzCase = MalformedRequests.Create(new Random(unchecked((seed * 1_000_003) + i)));
                var started = Stopwatch.GetTimestamp();
                var outcome = await SendAsync(fuzzCase, fuzzCase.Target == FuzzTarget.H2c ? h2c : http1, node.HttpPort, stop.Token);
                tally.AddOrUpdate(fuzzCase.Category + " " + outcome.Answer, 1, (_, n) => n + 1);
                var ms = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                busy.AddOrUpdate(fuzzCase.Category, ms, (_, n) => n + ms);
                Interlocked.Increment(ref sent);
                if (outcome.Failure is { } failure && failures.Count < 50)
                {
                    failures.Enqueue($"case {i}: {fuzzCase.Describe()} -> {failure}");
                }
            }
        })).ToList();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        var exitedDuringFuzz = node.HasExited;

        // The node is still itself afterwards: healthy, and the protected records are unchanged.
        Assert.False(exitedDuringFuzz, $"the node exited during the fuzz (seed {seed}):{Environment.NewLine}{Tail(node.Output)}");
        using (var health = await node.Http.GetAsync("/healthz"))
        {
            Assert.True(health.StatusCode == HttpStatusCode.OK, $"/healthz answered {health.StatusCode} after the fuzz (seed {seed})");
        }

        var after = await ReadProtectedRecordsAsync(node, before.Keys);
        await stop.CancelAsync();
        await sampler;
        maxRss = Math.Max(maxRss, ResidentBytes(node));

        output?.WriteLine($"{sent} requests in {elapsed.TotalSeconds:F1} s ({sent / elapsed.TotalSeconds:F0}/s), max RSS {maxRss / (1024 * 1024)} MiB");
        foreach (var (answer, count) in tally.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            output?.WriteLine($"  {count,7} {answer}");
        }

        output?.WriteLine("time spent waiting per category: " + string.Join(", ", busy.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value / 1000.0:F1} s")));
        Assert.True(failures.IsEmpty, $"seed {seed}:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
        Assert.True(sent == Requests, $"{sent} of {Requests} requests were sent within {Deadline} (seed {seed})");
        Assert.False(node.HasExited, $"the node exited after the fuzz (seed {seed})");
        Assert.True(maxRss < MaxResidentBytes, $"resident memory reached {maxRss / (1024 * 1024)} MiB (seed {seed})");
        foreach (var (handle, bytes) in before)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(after[handle]), $"{handle} changed (seed {seed})");
        }
    }

    [Fact]
    public async Task A_chunked_body_with_a_broken_chunk_size_is_a_400_not_a_500()
    {
        using var data = new TempDirectory();
        await using var node = await NodeProcess.StartAsync(data.Path, TimeSpan.FromSeconds(60));
        foreach (var chunk in new[] { "ffffffffffffffff\r\n{", "zz\r\n{}\r\n0\r\n\r\n", "2\r\n{}0\r\n\r\n" })
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, node.HttpPort);
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                "POST /v1/handles:resolveBatch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk));
            // The framing error is in what was sent; the node answers without waiting for more.
            var answer = new StringBuilder();
            var buffer = new byte[4096];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            int read;
            while (!answer.ToString().Replace(" ", string.Empty, StringComparison.Ordinal).Contains("\"responseCode\":\"4\"}", StringComparison.Ordinal)
                && (read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            Assert.True(answer.ToString().StartsWith("HTTP/1.1 400 ", StringComparison.Ordinal), $"{chunk}: {answer}");
            Assert.Contains("\"responseCode\":\"4\"", answer.ToString().Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("unhandled exception", node.Output, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<(string Answer, string? Failure)> SendAsync(FuzzCase fuzzCase, HttpClient client, int httpPort, CancellationToken cancellationToken)
    {
        if (fuzzCase.Target == FuzzTarget.Raw)
        {
            return await SendRawAsync(fuzzCase, httpPort, cancellationToken);
        }

        using var message = fuzzCase.Message!;
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var status = (int)response.StatusCode;
            var grpcStatus = fuzzCase.IsGrpc ? GrpcStatus(response) : null;
            var answer = grpcStatus is null ? status.ToString(CultureInfo.InvariantCulture) : $"{status} grpc-status {grpcStatus}";
            string? failure = null;
            // 505 is the right answer to an HTTP version the node does not speak.
            if (status >= 500 && status != 505)
            {
                failure = $"HTTP {status}: {Truncate(await response.Content.ReadAsStringAsync(cancellationToken))}";
            }
            else if (grpcStatus is "2" or "13")
            {
                failure = $"grpc-status {grpcStatus}: {GrpcMessage(response)}";
            }

            return (answer, failure);
        }
        catch (HttpRequestException exception)
        {
            // The node may refuse a request by closing the connection (a 431 or 413 while the client is still sending).
            return ("transport " + exception.HttpRequestError + " " + (exception.InnerException?.Message ?? exception.Message), null);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ("no answer", "no answer within the client's timeout");
        }
    }

    /// <summary>
    /// Writes the bytes on a fresh connection (half-closing it when they are an unfinished request)
    /// and reads the status code: a status, "closed" when the node closed without one, or "no answer".
    /// </summary>
    private static async Task<(string Answer, string? Failure)> SendRawAsync(FuzzCase fuzzCase, int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            await socket.SendAsync(fuzzCase.Raw, SocketFlags.None, timeout.Token);
            if (!fuzzCase.RawIsComplete)
            {
                socket.Shutdown(SocketShutdown.Send);
            }

            var buffer = new byte[64];
            var length = 0;
            int read;
            while (length < 12 && (read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, timeout.Token)) > 0)
            {
                length += read;
            }

            var head = Encoding.ASCII.GetString(buffer, 0, length);
            if (!head.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || head.Length < 12)
            {
                return ("closed", null);
            }

            var status = head[9..12];
            return (status, status[0] == '5' && status != "505" ? "HTTP " + status : null);
        }
        catch (SocketException)
        {
            return ("reset", null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ("no answer", "no answer within 30 s");
        }
    }

    private static string? GrpcStatus(HttpResponseMessage response) =>
        response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer.First()
        : response.Headers.TryGetValues("grpc-status", out var header) ? header.First()
        : null;

    private static string? GrpcMessage(HttpResponseMessage response) =>
        response.TrailingHeaders.TryGetValues("grpc-message", out var trailer) ? trailer.First()
        : response.Headers.TryGetValues("grpc-message", out var header) ? header.First()
        : null;

    /// <summary>About 50 records with every kind of value, written over gRPC; returns each one's serialized resolution.</summary>
    private static async Task<Dictionary<string, byte[]>> WriteAndReadProtectedRecordsAsync(NodeProcess node)
    {
        var registry = new Registry.RegistryClient(node.Channel);
        var handles = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            var handle = $"{MalformedRequests.ProtectedPrefix}/keep-{i:D3}-产品";
            var request = Values.Create(handle,
                Values.Url(1, $"https://keep.test/{i}"),
                Values.Text(2, "DESC", $"record {i}: ünïcödé, 标识解析, \u200b", ttl: (uint)(60 + i)),
                Values.Binary(3, "BIN", Enumerable.Range(0, 64).Select(b => (byte)(b * i)).ToArray()),
                Values.Admin(100, $"0.NA/{MalformedRequests.ProtectedPrefix}", 300, "011111110011"));
            Assert.Equal(1, (await registry.CreateHandleAsync(request)).ResponseCode);
            handles.Add(handle);
        }

        return await ReadProtectedRecordsAsync(node, handles);
    }

    private static async Task<Dictionary<string, byte[]>> ReadProtectedRecordsAsync(NodeProcess node, IEnumerable<string> handles)
    {
        var resolution = new Contracts.V1.Resolution.ResolutionClient(node.Channel);
        var records = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var handle in handles)
        {
            var reply = await resolution.ResolveAsync(new ResolveRequest { Handle = handle, Authoritative = true });
            records[handle] = reply.ToByteArray();
        }

        return records;
    }

    private static long ResidentBytes(NodeProcess node)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{node.ProcessId}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process is gone; the exit is asserted separately.
        }

        return 0;
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "..." : text;

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;
}
