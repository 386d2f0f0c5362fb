using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IdResolution.Caching.Redis.Tests.Infrastructure;

/// <summary>
/// One TCP connection speaking RESP2, just enough to drive a test server without a client library
/// (the adapter under test brings its own; the fixtures must not depend on it). Replies come back
/// as <see cref="string"/> (simple string), <see cref="long"/> (integer), <see cref="byte"/>[]
/// (bulk string), <see cref="object"/>?[] (array) or null; error replies are thrown as
/// <see cref="RedisErrorReplyException"/>.
/// </summary>
internal sealed class RespConnection : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private RespConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RespConnection> OpenAsync(int port, CancellationToken cancellationToken)
    {
        var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return new RespConnection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async Task SendAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var request = new MemoryStream();
        Write(request, $"*{arguments.Count.ToString(CultureInfo.InvariantCulture)}\r\n");
        foreach (var argument in arguments)
        {
            var bytes = Encoding.UTF8.GetBytes(argument);
            Write(request, $"${bytes.Length.ToString(CultureInfo.InvariantCulture)}\r\n");
            request.Write(bytes);
            Write(request, "\r\n");
        }

        await _stream.WriteAsync(request.GetBuffer().AsMemory(0, (int)request.Length), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    public async Task<object?> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken);
        var payload = line[1..];
        switch (line[0])
        {
            case '+':
                return payload;
            case '-':
                throw new RedisErrorReplyException(payload);
            case ':':
                return long.Parse(payload, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            case '$':
                var length = int.Parse(payload, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }

                var bulk = await ReadExactlyAsync(length + 2, cancellationToken);
                return bulk[..length];
            case '*':
                var count = int.Parse(payload, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return null;
                }

                var items = new object?[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = await ReadReplyAsync(cancellationToken);
                }

                return items;
            default:
                throw new InvalidDataException($"not a RESP2 reply: {line}");
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }

    private static void Write(MemoryStream destination, string ascii) => destination.Write(Encoding.ASCII.GetBytes(ascii));

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline > _start && _buffer[newline - 1] == '\r')
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, newline - 1 - _start);
                _start = newline + 1;
                return line;
            }

            if (_start == 0 && _end == _buffer.Length)
            {
                throw new InvalidDataException("a RESP header line longer than the read buffer");
            }

            await FillAsync(cancellationToken);
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken);
            }

            var take = Math.Min(count - filled, _end - _start);
            Array.Copy(_buffer, _start, result, filled, take);
            _start += take;
            filled += take;
        }

        return result;
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            throw new EndOfStreamException("redis closed the connection before its reply was complete");
        }

        _end += read;
    }
}
