using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace AuditDashboard.TestSupport;

/// <summary>
/// A real HTTP receiver on the loopback interface (a webhook's far end): it records every request it is sent and answers
/// with the statuses queued in <see cref="Answers"/>, then 204. Compiled into every test project from tests/TestSupport.
/// </summary>
public sealed class HttpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();

    public HttpReceiver()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/seals/");
        }

        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    /// <summary>The statuses to answer with, in order; once empty, 204.</summary>
    public ConcurrentQueue<int> Answers { get; } = new();

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.OfType<string>().ToDictionary(k => k, k => context.Request.Headers[k], StringComparer.OrdinalIgnoreCase);
            Received.Enqueue(new ReceivedRequest(context.Request.HttpMethod, headers, context.Request.ContentType, body.ToArray()));
            context.Response.StatusCode = Answers.TryDequeue(out var status) ? status : 204;
            context.Response.Close();
        }
    }
}

/// <summary>One request as <see cref="HttpReceiver"/> took it.</summary>
public sealed record ReceivedRequest(string Method, IReadOnlyDictionary<string, string?> Headers, string? ContentType, byte[] Body)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);
}
