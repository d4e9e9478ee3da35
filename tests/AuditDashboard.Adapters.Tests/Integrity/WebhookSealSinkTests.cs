using System.Net;
using AuditDashboard.Adapters.Integrity;
using AuditDashboard.Core.Integrity;
using AuditDashboard.Core.Signing;

namespace AuditDashboard.Adapters.Tests.Integrity;

/// <summary>The seal webhook against a real HTTP receiver on the loopback interface that answers as each test tells it.</summary>
public sealed class WebhookSealSinkTests : IDisposable
{
    private static readonly TimeSpan QuickRetry = TimeSpan.FromMilliseconds(20);

    private readonly HttpReceiver _receiver = new();
    private readonly LedgerSeal _seal;

    public WebhookSealSinkTests()
    {
        using var keys = new SigningKeySet(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256), []);
        _seal = LedgerSeal.Create(7, 1_000, 123_456, new byte[32], new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero), keys);
    }

    [Fact(Timeout = 30_000)]
    public async Task PublishAsync_PostsTheSealAsItsStreamJson_WithTheBearerToken_AndItsNumber()
    {
        using var sink = new WebhookSealSink(_receiver.Url, "s3cret-token", TimeSpan.FromSeconds(5), QuickRetry);

        await sink.PublishAsync(_seal, TestContext.Current.CancellationToken);

        var received = Assert.Single(_receiver.Received);
        Assert.Equal("Bearer s3cret-token", received.Header("Authorization"));
        Assert.Equal("7", received.Header("Audit-Seal-Number"));
        Assert.Equal("application/json", received.ContentType);
        Assert.Equal(_seal, LedgerSeal.Parse(received.Body));
        Assert.Equal("webhook " + _receiver.Url.GetLeftPart(UriPartial.Path), sink.Name);
    }

    [Fact(Timeout = 30_000)]
    public async Task PublishAsync_WhileTheReceiverIsBusy_AsksAgain_UntilItTakesTheSeal()
    {
        _receiver.Answers.Enqueue(503);
        _receiver.Answers.Enqueue(429);
        using var sink = new WebhookSealSink(_receiver.Url, bearerToken: null, TimeSpan.FromSeconds(5), QuickRetry);

        await sink.PublishAsync(_seal, TestContext.Current.CancellationToken);

        Assert.Equal(3, _receiver.Received.Count);
        Assert.All(_receiver.Received, r => Assert.Equal(_seal, LedgerSeal.Parse(r.Body)));
        Assert.All(_receiver.Received, r => Assert.Null(r.Header("Authorization")));
    }

    [Fact(Timeout = 30_000)]
    public async Task PublishAsync_WhenTheReceiverStaysDown_FailsAfterEveryAttempt_NamingTheStatusAndTheSeal()
    {
        for (var i = 0; i < WebhookSealSink.MaxAttempts + 2; i++)
            _receiver.Answers.Enqueue(500);
        using var sink = new WebhookSealSink(_receiver.Url, null, TimeSpan.FromSeconds(5), QuickRetry);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => sink.PublishAsync(_seal, TestContext.Current.CancellationToken));

        Assert.Equal(WebhookSealSink.MaxAttempts, _receiver.Received.Count);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Contains("answered 500", error.Message, StringComparison.Ordinal);
        Assert.Contains($"seal 7 after {WebhookSealSink.MaxAttempts} attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task PublishAsync_WhenTheReceiverRefusesTheSeal_DoesNotAskAgain()
    {
        _receiver.Answers.Enqueue(403);
        using var sink = new WebhookSealSink(_receiver.Url, "wrong-token", TimeSpan.FromSeconds(5), QuickRetry);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => sink.PublishAsync(_seal, TestContext.Current.CancellationToken));

        Assert.Single(_receiver.Received);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public void TheSink_RefusesAnAddressThatIsNotHttp()
    {
        var error = Assert.Throws<ArgumentException>(() => new WebhookSealSink(new Uri("file:///tmp/seals"), null, TimeSpan.FromSeconds(5), QuickRetry));

        Assert.Contains("http or https", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _receiver.Dispose();
}
