using AuditDashboard.Adapters.Kafka;
using AuditDashboard.Core.Integrity;
using AuditDashboard.Core.Mirror;
using AuditDashboard.Hosting;
using AuditDashboard.Integrity;
using AuditDashboard.Mirror;
using AuditDashboard.Tests.Api;

namespace AuditDashboard.Tests.Integrity;

/// <summary>
/// The real app with its mirror writing to its own in-process Kafka test cluster and a sealer sealing every two events: the
/// seals the sealer writes reach the account events' topic, once each, as their own event type.
/// </summary>
public sealed class SealMirrorTests
{
    [Fact(Timeout = 90_000)]
    public async Task SealsWrittenByTheSealer_ArriveInTheTopicOnceEach_AsLedgerSealed_KeyedByTheSealStream_InOrder()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var folder = new TempFolder();
        await using (var seed = await Ledger.OpenStoreAsync(folder, cancel))
        {
            await Ledger.OpenAsync(seed, "SLM-0001", "Seal Mirror", "EUR", 100m, cancel);
            for (var i = 0; i < 4; i++)
                await Ledger.AppendAsync(seed, "SLM-0001", [Ledger.Encode(new FundsDeposited(10m + i, "EUR", $"S-{i}"), Ledger.By("olivia", "Deposit"))], cancel);
        }

        await using var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            ["Integrity:Seal:EveryEvents"] = "2",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var integrity = factory.Services.GetRequiredService<LedgerIntegrity>();
        var store = factory.Services.GetRequiredService<IEventStore>();
        await UntilAsync(() => integrity.LastSeal is not null, "the first seal", cancel);
        for (var i = 0; i < 3; i++)
            await Ledger.AppendAsync(store, "SLM-0001", [Ledger.Encode(new FundsWithdrawn(1m, "EUR", $"W-{i}"), Ledger.By("olivia", "Withdrawal"))], cancel);
        await UntilAsync(() => integrity.LastSeal?.TreeSize >= 8, "a seal covering the later withdrawals", cancel);
        var sealEvents = await store.ReadStreamAsync(LedgerSeals.StreamId, Direction.Forwards, StreamRevision.Start, long.MaxValue, cancel).ToListAsync(cancel);
        var seals = factory.Services.GetRequiredService<ILedgerMirror>().Seals!;

        await UntilAsync(() => seals.Status().LastMirroredPosition >= sealEvents[^1].Position, $"the seal mirror to pass position {sealEvents[^1].Position}", cancel);

        var connection = factory.Services.GetRequiredService<KafkaConnection>();
        var messages = await Task.Run(() => TopicReader.Read(connection.BootstrapServers, connection.Settings.Topic,
            TopicReader.Partitions(connection.BootstrapServers, connection.Settings.Topic), (_, low, _) => low, cancel)
            .Where(m => m.Message.Key == LedgerSeals.StreamId).OrderBy(m => m.Offset.Value).ToList(), cancel);
        Assert.True(sealEvents.Count >= 2, $"Sealing every 2 events of 8 and more should make several seals; there are {sealEvents.Count}.");
        Assert.Equal(sealEvents.Select(e => (Guid?)e.EventId), messages.Select(m => MirrorHeaders.EventId(m.Message.Headers)));
        Assert.Single(messages.Select(m => m.Partition.Value).Distinct());
        Assert.All(messages, m => Assert.Equal(LedgerSeals.SealedType, MirrorHeaders.Text(m.Message.Headers, MirrorHeaders.Type)));
        Assert.All(messages, m => Assert.Equal(LedgerSeals.StreamId, MirrorHeaders.Text(m.Message.Headers, MirrorHeaders.Source)));
        var published = messages.Select(m => LedgerSeal.Parse(m.Message.Value)).ToList();
        Assert.Equal(sealEvents.Select(e => LedgerSeal.Parse(e.Data.Span)), published);
        Assert.Equal(Enumerable.Range(1, published.Count).Select(n => (long)n), published.Select(s => s.Number));
        Assert.Equal(sealEvents.Count, seals.Status().Mirrored);

        // The status shows the seal mirror beside the account mirror.
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Api-Key", DashboardFactory.OperatorKey);
        using var status = JsonDocument.Parse(await client.GetStringAsync(MirrorApiTests.StatusUrl, cancel));
        var sealStatus = status.RootElement.GetProperty("seals");
        Assert.Equal(sealEvents.Count, sealStatus.GetProperty("mirrored").GetInt64());
        Assert.Equal(0, sealStatus.GetProperty("parked").GetInt64());

        // And so does the mirror page.
        using var browser = new BrowserSession(factory.CreateApiClient());
        using var signIn = await browser.SignInAsync("olivia", DashboardFactory.DevPassword, cancel);
        using var page = await browser.GetAsync("/mirror", cancel);
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync(cancel));
        // The sealer goes on sealing meanwhile: the page counts at least the seals read above.
        var shown = System.Text.RegularExpressions.Regex.Match(document.QuerySelector("[data-testid='mirror-seals']")?.TextContent.Trim() ?? "", @"^(\d+) · running$");
        Assert.True(shown.Success, "The mirror page shows no seal mirror.");
        Assert.InRange(int.Parse(shown.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), sealEvents.Count, int.MaxValue);
    }

    [Fact(Timeout = 90_000)]
    public async Task WithTheSealerOff_NoSealGroupIsMade_AndNeitherTheStatusNorThePageShowsASealMirror()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var folder = new TempFolder();
        await using var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            ["Integrity:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var mirror = factory.Services.GetRequiredService<ILedgerMirror>();
        var subscriptions = factory.Services.GetRequiredService<IPersistentSubscriptions>();
        var settings = factory.Services.GetRequiredService<KafkaConnection>().Settings;
        await UntilAsync(() => mirror.Accounts.Status().State == MirrorState.Running, "the account mirror to run", cancel);

        var accountGroup = await subscriptions.GetInfoToAllAsync(settings.GroupName, cancel);
        var sealGroup = await subscriptions.GetInfoToAllAsync(settings.ForSeals().GroupName, cancel);
        using var client = factory.CreateApiClient(DashboardFactory.OperatorKey);
        using var status = JsonDocument.Parse(await client.GetStringAsync(MirrorApiTests.StatusUrl, cancel));
        using var browser = new BrowserSession(factory.CreateApiClient());
        using var signIn = await browser.SignInAsync("olivia", DashboardFactory.DevPassword, cancel);
        using var page = await browser.GetAsync("/mirror", cancel);
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync(cancel));

        Assert.Null(mirror.Seals);
        Assert.NotNull(accountGroup);
        Assert.Null(sealGroup);
        Assert.Equal(JsonValueKind.Null, status.RootElement.GetProperty("seals").ValueKind);
        Assert.NotNull(document.QuerySelector("[data-testid='mirror-position']"));
        Assert.Null(document.QuerySelector("[data-testid='mirror-seals']"));
    }

    private static Task UntilAsync(Func<bool> done, string what, CancellationToken cancellationToken) =>
        Eventually.UntilAsync(done, what, MirrorApiTests.MirrorPatience, cancellationToken);
}
