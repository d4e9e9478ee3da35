using AuditDashboard.Core.Integrity;

namespace AuditDashboard.Tests.Integrity;

/// <summary>The real app sealing every two events with its seal webhook pointed at a real HTTP receiver on the loopback interface.</summary>
public sealed class SealWebhookTests
{
    [Fact(Timeout = 60_000)]
    public async Task TheDashboard_PostsEachSeal_AsTheSealStreamHoldsIt_WithItsToken_AskingAgainWhileTheReceiverIsBusy()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var receiver = new HttpReceiver();
        receiver.Answers.Enqueue(503);
        await using var app = new WebhookDashboard(receiver.Url);

        await app.InitializeAsync();
        var store = app.Factory.Services.GetRequiredService<IEventStore>();
        var seals = (await store.ReadStreamAsync(LedgerSeals.StreamId, Direction.Forwards, StreamRevision.Start, long.MaxValue, cancel).ToListAsync(cancel))
            .Select(e => LedgerSeal.Parse(e.Data.Span)).ToList();
        await Eventually.UntilAsync(() => receiver.Received.Count >= seals.Count + 1, $"{seals.Count + 1} webhook posts", Ledger.Patience, cancel);

        var posted = receiver.Received.ToList();
        Assert.True(seals.Count >= 5, $"Ten events sealed every two should make five seals or more; there are {seals.Count}.");
        Assert.All(posted, p => Assert.Equal(("POST", "Bearer webhook-token", "application/json"), (p.Method, p.Header("Authorization"), p.ContentType)));
        Assert.Equal(posted[0].Body, posted[1].Body);
        Assert.Equal(seals, posted.Skip(1).Take(seals.Count).Select(p => LedgerSeal.Parse(p.Body)));
        Assert.Equal(seals.Select(s => s.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)), posted.Skip(1).Take(seals.Count).Select(p => p.Header("Audit-Seal-Number")));
    }

    private sealed class WebhookDashboard(Uri webhook) : SealedDashboard(new Dictionary<string, string?>
    {
        ["Integrity:Seal:EveryEvents"] = "2",
        ["Integrity:Seal:Sinks:Webhook:Url"] = webhook.ToString(),
        ["Integrity:Seal:Sinks:Webhook:BearerToken"] = "webhook-token",
    });
}
