using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace AuditDashboard.Tests.Security;

/// <summary>
/// A JSON body of exactly <c>totalBytes</c>: <paramref name="body"/> with a <c>padding</c> property of 'x's that the
/// endpoints ignore, so only its size stands between it and being accepted. Written as it is sent, never held whole in
/// memory; with <paramref name="announceLength"/> false it goes out in chunks without a Content-Length.
/// </summary>
internal sealed class PaddedJson : HttpContent
{
    private static readonly byte[] Padding = Encoding.ASCII.GetBytes(new string('x', 65_536));

    private readonly byte[] _prefix = Encoding.ASCII.GetBytes("{\"padding\":\"");
    private readonly byte[] _suffix;
    private readonly long _paddingBytes;
    private readonly bool _announceLength;

    public PaddedJson(JsonObject body, long totalBytes, bool announceLength = true)
    {
        ArgumentNullException.ThrowIfNull(body);
        var json = body.ToJsonString();
        _suffix = Encoding.UTF8.GetBytes("\"," + json[1..]);
        _paddingBytes = totalBytes - _prefix.Length - _suffix.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(_paddingBytes, nameof(totalBytes));
        _announceLength = announceLength;
        Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(_prefix, cancellationToken);
        for (var left = _paddingBytes; left > 0; left -= Padding.Length)
            await stream.WriteAsync(Padding.AsMemory(0, (int)Math.Min(left, Padding.Length)), cancellationToken);
        await stream.WriteAsync(_suffix, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _prefix.Length + _paddingBytes + _suffix.Length;
        return _announceLength;
    }
}
