using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;

namespace AuditDashboard.Adapters.Integrity;

/// <summary>
/// Posts each seal, as the same JSON the seal stream holds, to a receiver outside the dashboard (a transparency log, a
/// ticketing system, another organisation's archive): a copy of the seals the dashboard's operators cannot change later.
/// A receiver that is down or busy (a network error, a time-out, 408, 429 or a 5xx) is asked again a few times; a refusal
/// (any other status) is not. What still fails is reported by the sealer and the next seal goes out regardless: each seal
/// covers the whole ledger up to it, so a later seal proves everything a missed one did.
/// </summary>
public sealed class WebhookSealSink : ISealSink, IDisposable
{
    /// <summary>Attempts per seal, the first included.</summary>
    public const int MaxAttempts = 4;

    private readonly HttpClient _client;
    private readonly Uri _url;

    // The address as logs and errors show it: without its query, which may carry a credential.
    private readonly string _shown;
    private readonly string? _bearerToken;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    /// <param name="timeout">How long one attempt may take.</param>
    /// <param name="firstRetryDelay">The pause before the first retry; each further one doubles it.</param>
    public WebhookSealSink(Uri url, string? bearerToken, TimeSpan timeout, TimeSpan firstRetryDelay)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException($"The seal webhook must be an absolute http or https address; '{url}' is not.", nameof(url));
        _url = url;
        _shown = url.GetLeftPart(UriPartial.Path);
        _bearerToken = string.IsNullOrWhiteSpace(bearerToken) ? null : bearerToken;
        _client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }) { Timeout = timeout };
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                Delay = firstRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException } => true,
                    { Exception: TaskCanceledException } => !args.Context.CancellationToken.IsCancellationRequested,
                    { Result: { } response } => IsWorthRetrying(response.StatusCode),
                    _ => false,
                }),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public string Name => "webhook " + _shown;

    public async Task PublishAsync(LedgerSeal seal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seal);
        var body = seal.ToJsonBytes();
        using var response = await _retry.ExecuteAsync(async token =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("Audit-Seal-Number", seal.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (_bearerToken is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _bearerToken);
            return await _client.SendAsync(request, token);
        }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var tries = IsWorthRetrying(response.StatusCode) ? $" after {MaxAttempts} attempts" : "";
            throw new HttpRequestException($"The seal webhook at {_shown} answered {(int)response.StatusCode} {response.ReasonPhrase} to seal {seal.Number}{tries}.", null, response.StatusCode);
        }
    }

    public void Dispose() => _client.Dispose();

    private static bool IsWorthRetrying(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
