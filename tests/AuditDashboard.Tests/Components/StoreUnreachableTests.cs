using Microsoft.AspNetCore.Components;
using AuditDashboard.Adapters.EventStoreDb;

using AccountsPage = AuditDashboard.Components.Pages.Accounts.Accounts;

namespace AuditDashboard.Tests.Components;

/// <summary>
/// The accounts page over an EventStoreDB server that does not answer (nothing listens on 127.0.0.1:1): the ledger feed
/// keeps failing and retrying, and the page says so instead of showing an empty ledger as if it were the truth.
/// </summary>
public sealed class StoreUnreachableTests : MudComponentTest
{
    [Fact(Timeout = 60_000)]
    public async Task WhileTheStoreDoesNotAnswer_TheAccountsPageSaysSo()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var store = new EventStoreDbEventStore("esdb://127.0.0.1:1?tls=false");
        var directory = new AccountDirectory();
        var feed = new LedgerFeed(store, TimeProvider.System, directory, new AccountTimelines(store), new CorrectionProposals());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = feed.RunAsync(TimeSpan.FromMilliseconds(200), stop.Token);
        try
        {
            await Eventually.UntilAsync(() => feed.LastError is not null, "the ledger feed to report the unreachable store", TimeSpan.FromSeconds(20), cancellationToken);

            Services.AddSingleton(directory);
            Services.AddSingleton(feed);
            SetRendererInfo(new RendererInfo("Server", isInteractive: true));
            var cut = Render<AccountsPage>();

            var banner = cut.Find("[data-testid=store-unreachable]");
            Assert.Contains("The event store does not answer", banner.TextContent, StringComparison.Ordinal);
            Assert.Contains(feed.LastError!.Message, banner.TextContent, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
            await store.DisposeAsync();
        }
    }
}
