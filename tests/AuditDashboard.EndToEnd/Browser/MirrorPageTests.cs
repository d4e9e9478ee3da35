using AuditDashboard.Adapters.Embedded;
using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Browser;

/// <summary>
/// The Kafka mirror in the browser, on the demo app mirroring to its in-process test cluster: the mirror page says it
/// runs and is not durable, an account reconciles in sync, and the account page marks its events as in Kafka.
/// </summary>
[Collection(BrowserSuite.Name)]
public sealed class MirrorPageTests(AppProcess app, BrowserFixture browser, ITestOutputHelper output) : BrowserTest(app, browser, output)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Bounded = new() { Timeout = 15_000 };

    [Fact(Timeout = 120_000)]
    public async Task AnOperator_SeesTheMirrorRunning_ReconcilesAnAccountInSync_AndSeesItsEventsInKafka()
    {
        var cancellation = TestContext.Current.CancellationToken;

        // An account of its own, written now: the test cluster keeps only the newest ~5 MB a partition, and other
        // browser tests write 100,000 events.
        var accountId = $"ACC-9{Random.Shared.Next(10_000, 99_999)}";
        await using (var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={App.DatabasePath}")))
        {
            await store.InitializeAsync(cancellation);
            var metadata = new EventMetadata("teller:mirror-test", "Mirror test account", "mirror-test", null, "tests");
            await store.AppendAsync(AccountIds.StreamOf(accountId), ExpectedRevision.NoStream,
            [
                AccountEventCodec.Encode(Guid.NewGuid(), new AccountOpened(accountId, "Mira Kafka", "EUR"), metadata),
                AccountEventCodec.Encode(Guid.NewGuid(), new FundsDeposited(120.50m, "EUR", "TRX-M1"), metadata),
                AccountEventCodec.Encode(Guid.NewGuid(), new FundsWithdrawn(20m, "EUR", null), metadata),
            ], cancellation);
        }

        await SignInAsync("olivia", "/mirror", cancellation);
        await WaitForInteractiveAsync(cancellation);

        await Expect(Page.Locator("[data-testid=mirror-state]")).ToHaveTextAsync("Running", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        await Expect(Page.Locator("[data-testid=test-cluster]")).ToHaveTextAsync("in-memory test cluster — not durable");
        await Expect(Page.Locator("[data-testid=mirror-lag]")).ToContainTextAsync("0 events", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
        await Expect(Page.Locator("[data-testid=retry-parked]")).ToHaveCountAsync(0);

        var account = Page.Locator("[data-testid=reconcile-account]");
        var verdict = Page.Locator("[data-testid=reconcile-verdict]");
        await RetryUntilAsync("the reconciliation to answer", async () =>
        {
            await account.FillAsync(accountId);
            await Page.Locator("[data-testid=reconcile]").ClickAsync(new LocatorClickOptions { Timeout = 5_000 });
            await Expect(verdict).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 5_000 });
        }, cancellation);
        await Expect(verdict).ToHaveTextAsync("In sync");
        await Expect(Page.Locator("[data-testid=reconcile-result]")).ToContainTextAsync($"account-{accountId}: 3 events in the store, 3 messages in Kafka.");

        // Enter in the field reads back as the button does.
        await account.FillAsync("not an account");
        await account.PressAsync("Enter");
        await Expect(Page.Locator("[data-testid=reconcile-error]")).ToContainTextAsync("is not an account id", new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });

        await GoToAsync($"accounts/{accountId}", cancellation);
        await WaitForInteractiveAsync(cancellation);
        var marks = Page.Locator("[data-testid=timeline] [data-testid^='mirrored-']");
        await Expect(marks.First).ToBeVisibleAsync(Bounded);
        await Expect(marks.First).ToHaveAttributeAsync("data-mirrored", "yes");
        await Expect(marks.First).ToHaveAttributeAsync("title", "In Kafka");
        await Expect(Page.Locator("[data-testid=timeline] [data-mirrored=yes]")).ToHaveCountAsync(3);
    }
}
