using System.Globalization;
using AuditDashboard.Core.ReadModels;
using Microsoft.Extensions.DependencyInjection;

namespace AuditDashboard.Tests.Api;

/// <summary>
/// An account nobody has opened is answered from its marks in the read models (every 10 events here) and the few
/// events after the nearest one, without loading the account; the answers are the same, byte for byte, as once the
/// account is loaded and they come from its folded timeline.
/// </summary>
public sealed class AccountWindowApiTests
{
    private const string Account = "LONG-0001";

    [Fact(Timeout = 60_000)]
    public async Task StateEventsAndAccount_OfAnAccountNotLoaded_EqualTheAnswersFromItsLoadedTimeline()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        await using var app = await OwnDashboard.StartAsync(new Dictionary<string, string?> { ["ReadModels:MarkInterval"] = "10" }, clock, cancellationToken);
        var services = app.Factory.Services;
        var store = services.GetRequiredService<IEventStore>();
        await store.AppendAsync(AccountIds.StreamOf(Account), ExpectedRevision.NoStream, [Event(new AccountOpened(Account, "Ana Lima", "EUR"))], cancellationToken);
        for (var i = 1; i <= 94; i++)
        {
            // Two events a minute: some share a recorded time, as events of one append do.
            if (i % 2 == 0)
                clock.Now = clock.Now.AddMinutes(1);
            AccountEvent e = i % 3 == 0 ? new FundsWithdrawn(2m, "EUR", null) : new FundsDeposited(5m + i, "EUR", null);
            await store.AppendAsync(AccountIds.StreamOf(Account), ExpectedRevision.Any, [Event(e)], cancellationToken);
        }

        var directory = services.GetRequiredService<AccountDirectory>();
        await Eventually.UntilAsync(() => directory.Find(Account)?.Revision == 94, "the directory to apply the account's 95 events", Ledger.Patience, cancellationToken);
        var timelines = services.GetRequiredService<AccountTimelines>();
        using var client = app.CreateClient(DashboardFactory.OperatorKey);
        var at = Uri.EscapeDataString(new DateTimeOffset(2026, 3, 1, 9, 23, 0, TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture));
        string[] urls =
        [
            $"/api/accounts/{Account}",
            $"/api/accounts/{Account}/state",
            $"/api/accounts/{Account}/state?revision=0",
            $"/api/accounts/{Account}/state?revision=9",
            $"/api/accounts/{Account}/state?revision=10",
            $"/api/accounts/{Account}/state?revision=57",
            $"/api/accounts/{Account}/state?at={at}",
            $"/api/accounts/{Account}/state?at=2026-03-01T08:59:59Z",
            $"/api/accounts/{Account}/events?fromRevision=37&count=20",
            $"/api/accounts/{Account}/events?fromRevision=90&count=20",
            $"/api/accounts/{Account}/events?fromRevision=41&count=15&direction=backwards",
            $"/api/accounts/{Account}/events?direction=backwards&count=3",
            $"/api/accounts/{Account}/events?fromRevision=200",
        ];

        var cold = new List<string>();
        foreach (var url in urls)
            cold.Add(await GetTextAsync(client, url, cancellationToken));
        var loadedBefore = timelines.Holds(Account);
        await timelines.GetAsync(Account, cancellationToken);
        var loaded = new List<string>();
        foreach (var url in urls)
            loaded.Add(await GetTextAsync(client, url, cancellationToken));

        Assert.False(loadedBefore, "answering the cold requests loaded the account");
        Assert.Equal(89, (await services.GetRequiredService<IReadModelStore>().FindMarkAtRevisionAsync(Account, 94, cancellationToken))?.Revision);
        for (var i = 0; i < urls.Length; i++)
            Assert.True(loaded[i] == cold[i], $"GET {urls[i]}\n  loaded: {loaded[i]}\n  cold:   {cold[i]}");
    }

    private static EventData Event(AccountEvent e) =>
        AccountEventCodec.Encode(Guid.NewGuid(), e, new EventMetadata("teller:ana", "Test", "corr-1", null, "tests"));

    private static async Task<string> GetTextAsync(HttpClient client, string url, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(url, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}: {text}");
        return text;
    }
}
