using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Browser;

/// <summary>
/// Corrections in the browser, on a demo account whose seeder recorded one deposit twice: a Support user reverses the
/// duplicate and sees the balance and the timeline change; an Operator sees no correction controls.
/// </summary>
[Collection(BrowserSuite.Name)]
public sealed class CorrectionTests(AppProcess app, BrowserFixture browser, ITestOutputHelper output) : BrowserTest(app, browser, output)
{
    /// <summary>
    /// The demo seeder records one deposit twice in ACC-100004, -016, -028 and -040; no other browser test opens these.
    /// ACC-100028 first; the others only if it were not open.
    /// </summary>
    private static readonly string[] DuplicateAccounts = ["ACC-100028", "ACC-100040", "ACC-100016", "ACC-100004"];

    private static readonly LocatorAssertionsToBeVisibleOptions Bounded = new() { Timeout = 15_000 };

    [Fact(Timeout = 120_000)]
    public async Task Support_ReversesADuplicatedDeposit_AndSeesTheBalanceAndTimelineChange()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var api = App.CreateApiClient();
        var (account, duplicate) = await FindDuplicatedDepositAsync(api, cancellation);
        var currency = account.Currency!;
        var amount = duplicate.Data!.Value.GetProperty("amount").GetDecimal();
        var before = account.Balance;
        var after = before - amount;
        var reversal = account.Revision!.Value + 1;
        Output.WriteLine($"{account.AccountId}: revision {duplicate.Revision} repeats a deposit of {Currencies.Format(amount, currency)}; balance {before}.");

        // Opened at the duplicate, so the timeline shows the page that holds it.
        await SignInAsync("sam", $"/accounts/{account.AccountId}?revision={duplicate.Revision}", cancellation);
        await WaitForInteractiveAsync(cancellation);
        await Expect(Page.Locator("[data-testid=adjust-balance]")).ToBeVisibleAsync(Bounded);
        var reverse = Page.Locator($"[data-testid='reverse-{duplicate.Revision}']");
        await Expect(reverse).ToBeVisibleAsync(Bounded);
        await Expect(reverse).ToHaveAttributeAsync("aria-label", $"Reverse revision {duplicate.Revision}");

        // The row says what it repeats, and offers Support the reversal with the reason written.
        await Expect(Row(duplicate.Revision).Locator("[data-testid=possible-duplicate]")).ToHaveTextAsync(new Regex(@"^Possible duplicate of rev \d+$"));
        var reverseDuplicate = Page.Locator($"[data-testid='reverse-duplicate-{duplicate.Revision}']");
        await Expect(reverseDuplicate).ToHaveAttributeAsync("aria-label", new Regex($@"^Reverse revision {duplicate.Revision}, the duplicate of revision \d+$"));
        var reason = Page.Locator("[data-testid=correction-reason]");
        await RetryUntilAsync("the reversal dialog to open", async () =>
        {
            if (await reason.CountAsync() == 0)
                await reverseDuplicate.ClickAsync(new LocatorClickOptions { Timeout = 5_000 });
            await Expect(reason).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 3_000 });
        }, cancellation);
        await Expect(reason).ToHaveValueAsync(new Regex(@"^Duplicate of revision \d+: the same payment \(.+\) was posted twice\.$"));
        var post = Page.Locator("[data-testid=correction-post]");
        await reason.FillAsync("");
        await Expect(post).ToBeDisabledAsync();
        await reason.FillAsync("Deposit recorded twice by the payments gateway (end-to-end test)");

        var preview = Page.Locator("[data-testid=correction-preview]");
        await Expect(preview).ToBeVisibleAsync(Bounded);
        var recorded = preview.Locator("tbody tr").Filter(new LocatorFilterOptions { HasText = "As recorded" });
        await Expect(recorded.Locator("td").Nth(0)).ToHaveTextAsync(Currencies.Format(before, currency));
        await Expect(recorded.Locator("td").Nth(2)).ToHaveTextAsync(Currencies.Format(after, currency));
        await Expect(preview.Locator("tbody tr").Filter(new LocatorFilterOptions { HasText = "As corrected" })).ToBeVisibleAsync();
        await Expect(post).ToBeEnabledAsync();
        await post.ClickAsync();

        await Expect(Page.Locator("[data-testid=correction-dialog], [data-testid=correction-reason]")).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        await Expect(Page.Locator("[data-testid=balance]")).ToHaveTextAsync(Currencies.Format(after, currency), new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        var reversalRow = Row(reversal);
        await Expect(reversalRow).ToBeVisibleAsync(Bounded);
        await Expect(reversalRow).ToContainTextAsync("TransactionReversed");
        await Expect(reversalRow.Locator("[data-testid=correction-badge]")).ToHaveTextAsync("Correction");
        await Expect(reversalRow).ToContainTextAsync("sam");

        // The correction links to what it corrects: following it shows the duplicate, marked as reversed.
        await reversalRow.Locator("[data-testid=corrects-link]").ClickAsync();
        var duplicateRow = Row(duplicate.Revision);
        await Expect(duplicateRow).ToBeVisibleAsync(Bounded);
        await Expect(duplicateRow.Locator("[data-testid=corrected-mark]")).ToHaveTextAsync($"Reversed by rev {reversal}");
        await Expect(Page.Locator($"[data-testid='reverse-{duplicate.Revision}']")).ToHaveCountAsync(0);

        var now = await api.GetFromJsonAsync<ApiAccount>($"api/accounts/{account.AccountId}", cancellation);
        Assert.NotNull(now);
        Assert.Equal(after, now.Balance);
        Assert.Equal(reversal, now.Revision);
        var written = await EventsAsync(api, account.AccountId, cancellation);
        var reversed = Assert.Single(written, e => e.EventType == "TransactionReversed");
        Assert.Equal(reversal, reversed.Revision);
        Assert.Equal(duplicate.EventId.ToString(), reversed.Data!.Value.GetProperty("reversedEventId").GetString());
        Assert.Equal("sam", reversed.Metadata!.Value.GetProperty("actor").GetString());
        Assert.Equal(duplicate.EventId.ToString(), reversed.Metadata!.Value.GetProperty("causationId").GetString());
    }

    [Fact(Timeout = 90_000)]
    public async Task Operator_SeesNoCorrectionControls()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var api = App.CreateApiClient();
        var (account, duplicate) = await FindDuplicatedDepositAsync(api, cancellation, alsoReversed: true);

        await SignInAsync("olivia", $"/accounts/{account.AccountId}?revision={duplicate.Revision}", cancellation);
        await WaitForInteractiveAsync(cancellation);

        // The page has drawn the timeline, deposits included, before the test looks for what must not be there.
        await Expect(Row(duplicate.Revision)).ToContainTextAsync("FundsDeposited", new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });
        await Expect(Page.Locator("[data-testid=timeline] [data-testid^='expand-']").First).ToBeVisibleAsync(Bounded);
        await Expect(Page.Locator("[data-testid^='reverse-']")).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Reverse revision" })).ToHaveCountAsync(0);
        await Expect(Page.Locator("[data-testid=adjust-balance]")).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Adjust balance" })).ToHaveCountAsync(0);
    }

    /// <summary>
    /// A correction dialog opens with the focus on its first field; closing it with Escape, or with Cancel, gives the
    /// focus back to the button that opened it (the dialog's focus trap restores it, now that the timeline keeps its
    /// rows, oldest first too), so a keyboard user goes on from there.
    /// </summary>
    [Fact(Timeout = 120_000)]
    public async Task ACorrectionDialog_FocusesItsFirstField_AndClosingIt_GivesTheFocusBackToWhatOpenedIt()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var api = App.CreateApiClient();
        var (account, duplicate) = await FindDuplicatedDepositAsync(api, cancellation, alsoReversed: true);
        await SignInAsync("sam", $"/accounts/{account.AccountId}", cancellation);
        await WaitForInteractiveAsync(cancellation);

        // Oldest first: opening the dialog once moved the table to the newest rows behind it, and the opener went with them.
        var oldestFirst = Page.Locator("input[data-testid=timeline-oldest-first], [data-testid=timeline-oldest-first] input");
        await RetryUntilAsync("the timeline to list the oldest events first", async () =>
        {
            await oldestFirst.CheckAsync(new LocatorCheckOptions { Timeout = 3_000 });
            await Expect(Page.Locator("[data-testid=timeline] tbody [data-revision='0']")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 3_000 });
        }, cancellation);
        var reverse = Page.Locator("[data-testid=timeline] [data-testid^='reverse-']").First;
        await Expect(reverse).ToBeVisibleAsync(Bounded);
        var reverseId = await reverse.GetAttributeAsync("data-testid");
        var reason = Page.Locator("[data-testid=correction-reason]");

        foreach (var (opener, firstField, close) in new (ILocator, string, string)[]
        {
            (Page.Locator($"[data-testid='{reverseId}']"), "correction-reason", "Escape"),
            (Page.Locator("[data-testid=adjust-balance]"), "correction-amount", "Cancel"),
        })
        {
            await RetryUntilAsync("the correction dialog to open", async () =>
            {
                if (await reason.CountAsync() == 0)
                    await opener.ClickAsync(new LocatorClickOptions { Timeout = 5_000 });
                await Expect(reason).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 3_000 });
            }, cancellation);
            // The dialog puts the focus on its first field: the reason of a reversal, the amount of an adjustment.
            await Expect(Page.Locator($"[data-testid={firstField}]")).ToBeFocusedAsync(new LocatorAssertionsToBeFocusedOptions { Timeout = 5_000 });
            // The dialog listens for keys once it has rendered on the circuit: a key sent before that is tried again.
            await RetryUntilAsync($"the dialog to close on {close}", async () =>
            {
                if (close == "Escape")
                    await reason.PressAsync("Escape");
                else
                    await Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Cancel" }).ClickAsync(new LocatorClickOptions { Timeout = 3_000 });
                await Expect(reason).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 3_000 });
            }, cancellation);
            await Expect(opener).ToBeFocusedAsync(new LocatorAssertionsToBeFocusedOptions { Timeout = 5_000 });
        }

        Output.WriteLine($"{account.AccountId} (duplicate at revision {duplicate.Revision}): focus went back to {reverseId} and to adjust-balance.");
    }

    /// <summary>
    /// The account page driven by the keyboard alone: j/k step through the events, End and Home jump, ? lists the keys,
    /// r opens the reversal of the event shown (Support), Escape closes each dialog; typing into a field is not a shortcut.
    /// </summary>
    [Fact(Timeout = 120_000)]
    public async Task TheAccountPage_ByKeyboardAlone_StepsJumpsListsTheKeysAndOpensAReversal()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var api = App.CreateApiClient();
        var (account, duplicate) = await FindDuplicatedDepositAsync(api, cancellation);
        await SignInAsync("sam", $"/accounts/{account.AccountId}?revision={duplicate.Revision}", cancellation);
        await WaitForInteractiveAsync(cancellation);
        var position = Page.Locator("[data-testid=replay-position]");
        var last = account.Revision!.Value;
        string At(long revision) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"revision {revision:N0} of {last:N0}");
        await Expect(position).ToHaveTextAsync(At(duplicate.Revision), new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });

        // The page listens once it has drawn on the circuit: the first key is tried again until it takes.
        await RetryUntilAsync("k to step back", async () =>
        {
            if (await position.TextContentAsync() == At(duplicate.Revision))
                await Page.Keyboard.PressAsync("k");
            await Expect(position).ToHaveTextAsync(At(duplicate.Revision - 1), new LocatorAssertionsToHaveTextOptions { Timeout = 3_000 });
        }, cancellation);
        await Page.Keyboard.PressAsync("j");
        await Expect(position).ToHaveTextAsync(At(duplicate.Revision));
        await Page.Keyboard.PressAsync("End");
        await Expect(position).ToHaveTextAsync(At(last));
        await Page.Keyboard.PressAsync("Home");
        await Expect(position).ToHaveTextAsync(At(0));

        // A row's revision is a button: Enter on it shows that revision (the latest's page lists the one before it). The
        // chart takes the arrow keys.
        await Page.Keyboard.PressAsync("End");
        await Expect(position).ToHaveTextAsync(At(last));
        var revision = Page.Locator($"[data-testid=timeline] button[data-revision='{last - 1}']");
        await revision.FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(position).ToHaveTextAsync(At(last - 1));
        await Expect(revision).ToHaveAttributeAsync("aria-current", "true");
        await Page.Locator("[data-testid=chart-keys]").FocusAsync();
        await Page.Keyboard.PressAsync("ArrowLeft");
        await Expect(position).Not.ToHaveTextAsync(At(last - 1));
        var moved = await position.TextContentAsync();
        await Page.Keyboard.PressAsync("ArrowRight");
        await Expect(position).Not.ToHaveTextAsync(moved!);
        await Page.Keyboard.PressAsync("Home");
        await Expect(position).ToHaveTextAsync(At(0));

        await Page.Keyboard.PressAsync("?");
        var shortcuts = Page.Locator("[data-testid=shortcuts-dialog]");
        await Expect(shortcuts).ToBeVisibleAsync(Bounded);
        await Expect(shortcuts).ToContainTextAsync("Reverse the event shown");
        // A dialog listens for keys once it has rendered on the circuit: Escape is sent again until it closes.
        await RetryUntilAsync("the shortcuts to close on Escape", async () =>
        {
            await Page.Keyboard.PressAsync("Escape");
            await Expect(shortcuts).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 3_000 });
        }, cancellation);

        // Back at the duplicated deposit, r opens its reversal; Escape closes it, nothing written.
        for (var i = 0; i < duplicate.Revision; i++)
            await Page.Keyboard.PressAsync("j");
        await Expect(position).ToHaveTextAsync(At(duplicate.Revision));
        await Page.Keyboard.PressAsync("r");
        var reason = Page.Locator("[data-testid=correction-reason]");
        await Expect(reason).ToBeVisibleAsync(Bounded);
        await Expect(Page.Locator(".mud-dialog")).ToContainTextAsync($"Reverse revision {duplicate.Revision}");
        await reason.PressSequentiallyAsync("jk");
        await Expect(reason).ToHaveValueAsync("jk");
        await RetryUntilAsync("the reversal to close on Escape", async () =>
        {
            await reason.PressAsync("Escape", new LocatorPressOptions { Timeout = 3_000 });
            await Expect(reason).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 3_000 });
        }, cancellation);
        await Expect(position).ToHaveTextAsync(At(duplicate.Revision));
        var now = await api.GetFromJsonAsync<ApiAccount>($"api/accounts/{account.AccountId}", cancellation);
        Assert.Equal(last, now!.Revision);
    }

    private ILocator Row(long revision) =>
        Page.Locator("[data-testid=timeline] tbody tr").Filter(new LocatorFilterOptions { Has = Page.Locator($"[data-revision='{revision}']") });

    [Fact(Timeout = 120_000)]
    public async Task Support_OnAClosedAccount_IsToldUpFront_AndOfferedNoCorrection()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var api = App.CreateApiClient();
        var list = await api.GetFromJsonAsync<ApiAccountList>("api/accounts?take=500", cancellation)
            ?? throw new InvalidOperationException("GET /api/accounts answered nothing.");
        var closed = list.Items.FirstOrDefault(a => a.Status == "Closed")
            ?? throw new InvalidOperationException("The demo ledger holds no closed account.");

        await SignInAsync("sam", $"/accounts/{closed.AccountId}", cancellation);
        await WaitForInteractiveAsync(cancellation);

        await Expect(Page.Locator("[data-testid=account-closed-note]")).ToHaveTextAsync("This account is closed: it accepts no corrections.", new() { Timeout = 15_000 });
        await Expect(Page.Locator("[data-testid=adjust-balance]")).ToBeDisabledAsync();
        await Expect(Page.Locator("[data-testid=timeline] tbody tr").First).ToBeVisibleAsync(Bounded);
        Assert.Equal(0, await Page.Locator("[data-testid^='reverse-']").CountAsync());
    }

    /// <summary>
    /// The first open account of <see cref="DuplicateAccounts"/> and the second of its two deposits with the same
    /// reference; unless <paramref name="alsoReversed"/>, one whose duplicate has not been reversed yet.
    /// </summary>
    private static async Task<(ApiAccount Account, CorrectionApiEvent Duplicate)> FindDuplicatedDepositAsync(
        HttpClient api, CancellationToken cancellationToken, bool alsoReversed = false)
    {
        var seen = new List<string>();
        foreach (var id in DuplicateAccounts)
        {
            var account = await api.GetFromJsonAsync<ApiAccount>($"api/accounts/{id}", cancellationToken)
                ?? throw new InvalidOperationException($"GET /api/accounts/{id} answered nothing.");
            seen.Add($"{id} {account.Status}");
            if (account is not { Status: "Open", Currency: not null, Revision: not null })
                continue;
            var events = await EventsAsync(api, id, cancellationToken);
            var reversedIds = events.Where(e => e.EventType == "TransactionReversed")
                .Select(e => e.Data!.Value.GetProperty("reversedEventId").GetString())
                .ToHashSet();
            var duplicate = events
                .Where(e => e.EventType == "FundsDeposited" && e.Data is { } d && d.TryGetProperty("reference", out var r) && r.ValueKind == JsonValueKind.String)
                .GroupBy(e => e.Data!.Value.GetProperty("reference").GetString())
                .Where(g => g.Count() == 2)
                .Select(g => g.OrderBy(e => e.Revision).Last())
                .FirstOrDefault(e => alsoReversed || !reversedIds.Contains(e.EventId.ToString()));
            if (duplicate is not null)
                return (account, duplicate);
            seen[^1] += " (no duplicate to reverse)";
        }

        throw new InvalidOperationException("No open demo account with a deposit recorded twice: " + string.Join(", ", seen));
    }

    private static async Task<IReadOnlyList<CorrectionApiEvent>> EventsAsync(HttpClient api, string accountId, CancellationToken cancellationToken)
    {
        var page = await api.GetFromJsonAsync<CorrectionApiEventPage>($"api/accounts/{accountId}/events?count=500", cancellationToken)
            ?? throw new InvalidOperationException($"GET /api/accounts/{accountId}/events answered nothing.");
        Assert.True(page.Events.Count < 500, $"{accountId} has more events than one page holds.");
        return page.Events;
    }

    /// <summary>One event of GET /api/accounts/{id}/events with its data and metadata.</summary>
    private sealed record CorrectionApiEvent(long Revision, Guid EventId, string EventType, JsonElement? Data, JsonElement? Metadata, decimal BalanceAfter);

    private sealed record CorrectionApiEventPage(string AccountId, IReadOnlyList<CorrectionApiEvent> Events, long? LastRevision);
}
