using System.Globalization;
using System.Net.Sockets;

namespace AuditDashboard.Tests.Security;

/// <summary>
/// HTTP/1.1 over a plain socket, as curl does it: the body is sent while the response is read, and a server that answers
/// before the body is all sent (and then closes) is heard, not reported as a broken pipe. HttpClient cannot do this: it
/// fails the whole request when the upload breaks, whatever the server said first.
/// </summary>
internal static class RawHttp
{
    public sealed record Answer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string? ContentType => Headers.TryGetValue("content-type", out var value) ? value.Split(';')[0].Trim() : null;
    }

    /// <summary>Sends <paramref name="body"/> with a Content-Length, or in chunks when it announces no length.</summary>
    public static async Task<Answer> SendAsync(
        Uri server, string method, string path, HttpContent body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(headers);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, cancellationToken);
        var stream = tcp.GetStream();

        var length = body.Headers.ContentLength;
        var head = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{method} {path} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Content-Type: {body.Headers.ContentType}\r\n");
        head.Append(length is { } bytes ? $"Content-Length: {bytes}\r\n" : "Transfer-Encoding: chunked\r\n");
        foreach (var (name, value) in headers)
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        head.Append("\r\n");

        var reading = ReadToEndAsync(stream, cancellationToken);
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken);
            if (length is null)
            {
                await using var chunks = new ChunkedStream(stream);
                await body.CopyToAsync(chunks, cancellationToken);
                await chunks.EndAsync(cancellationToken);
            }
            else
            {
                await body.CopyToAsync(stream, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException || ex.InnerException is IOException)
        {
            // The server answered and closed before taking the whole body: what it answered is read below. (HttpContent
            // wraps the broken pipe in an HttpRequestException.)
        }

        return Parse(await reading);
    }

    private static async Task<byte[]> ReadToEndAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        using var response = new MemoryStream();
        var buffer = new byte[16_384];
        try
        {
            for (int read; (read = await stream.ReadAsync(buffer, cancellationToken)) > 0;)
                response.Write(buffer, 0, read);
        }
        catch (IOException) when (response.Length > 0)
        {
            // A reset after the response (the server discarding the rest of the body) ends the reading, not the test.
        }

        return response.ToArray();
    }

    private static Answer Parse(byte[] response)
    {
        var end = response.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
            throw new Xunit.Sdk.XunitException($"The server sent no complete response: '{Encoding.UTF8.GetString(response)}'.");
        var lines = Encoding.ASCII.GetString(response, 0, end).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1)
            .Select(l => l.Split(':', 2))
            .GroupBy(p => p[0].Trim().ToLowerInvariant())
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(p => p[1].Trim())), StringComparer.Ordinal);
        var body = response[(end + 4)..];
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            body = Dechunk(body);
        return new Answer(status, headers, Encoding.UTF8.GetString(body));
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        using var body = new MemoryStream();
        var at = 0;
        while (true)
        {
            var lineEnd = at + chunked.AsSpan(at).IndexOf("\r\n"u8);
            var size = int.Parse(Encoding.ASCII.GetString(chunked, at, lineEnd - at).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
                return body.ToArray();
            body.Write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    /// <summary>Frames what is written to it as HTTP/1.1 chunks.</summary>
    private sealed class ChunkedStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty)
                return;
            await inner.WriteAsync(Encoding.ASCII.GetBytes(buffer.Length.ToString("X", CultureInfo.InvariantCulture) + "\r\n"), cancellationToken);
            await inner.WriteAsync(buffer, cancellationToken);
            await inner.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public async Task EndAsync(CancellationToken cancellationToken) => await inner.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken);

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
