using AuditDashboard.Components.Pages.Accounts;

namespace AuditDashboard.Tests.Components;

public sealed class TimelineTests(TimelineLedger ledger) : MudComponentTest, IClassFixture<TimelineLedger>
{
    [Fact(Timeout = 30_000)]
    public async Task Timeline_ListsEveryEventNewestFirst_WithTypeAmountActorAndReason()
    {
        var snapshot = await LoadSnapshotAsync(ledger, TimelineLedger.AccountId, TestContext.Current.CancellationToken);

        var cut = RenderTimeline(snapshot);

        Assert.Equal(["6", "5", "4", "3", "2", "1", "0"], Column(cut, "Rev"));
        Assert.Equal(
            ["AccountFrozen", "FundsDeposited", "FundsDeposited", TimelineLedger.UnknownType, "FundsWithdrawn", "FundsDeposited", "AccountOpened"],
            cut.FindAll("td[data-label='Type'] .event-type").Select(e => e.TextContent).ToList());
        Assert.Equal(["", "50.00 EUR", "", "", "-30.00 EUR", "100.00 EUR", ""], Column(cut, "Amount"));
        Assert.Equal(["carol", "bob", "carol", "legacy-system", "bob", "alice", "alice"], Column(cut, "Actor"));
        Assert.Equal(
            ["Suspicious activity", "Refund", "Broken import", "Loyalty programme", "Rent", "Salary", "Customer onboarding"],
            Column(cut, "Reason"));
        Assert.Equal("7 events", cut.Find("[data-testid='timeline-count']").TextContent.Trim());
        Assert.Contains("Recorded (Europe/Paris)", cut.Find("thead").TextContent, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task ClickingExpand_ShowsTheEventsStoredJsonDataAndMetadata()
    {
        var snapshot = await LoadSnapshotAsync(ledger, TimelineLedger.AccountId, TestContext.Current.CancellationToken);
        var cut = RenderTimeline(snapshot);
        Assert.Empty(cut.FindAll("[data-testid='event-data']"));

        await cut.Find("[data-testid='expand-1']").ClickAsync(new());

        var data = cut.Find("[data-testid='event-data']").TextContent;
        var metadata = cut.Find("[data-testid='event-metadata']").TextContent;
        Assert.Contains("\"amount\": 100", data, StringComparison.Ordinal);
        Assert.Contains("\"currency\": \"EUR\"", data, StringComparison.Ordinal);
        Assert.Contains("\"reference\": \"SAL-1\"", data, StringComparison.Ordinal);
        Assert.Contains("\"actor\": \"alice\"", metadata, StringComparison.Ordinal);
        Assert.Contains("\"reason\": \"Salary\"", metadata, StringComparison.Ordinal);
        Assert.Equal("true", cut.Find("[data-testid='expand-1']").GetAttribute("aria-expanded"));
        Assert.Single(cut.FindAll("[data-testid='event-details']"));
    }

    [Fact(Timeout = 30_000)]
    public async Task TheCopyButtons_CopyTheDataAndMetadataAsShown_AndSaySo()
    {
        var snapshot = await LoadSnapshotAsync(ledger, TimelineLedger.AccountId, TestContext.Current.CancellationToken);
        var copying = JSInterop.Setup<bool>("auditDashboard.copyText", _ => true);
        copying.SetResult(true);
        var snackbar = Render<MudSnackbarProvider>();
        var cut = RenderTimeline(snapshot);
        await cut.Find("[data-testid='expand-1']").ClickAsync(new());

        await cut.Find("[data-testid='copy-data']").ClickAsync(new());
        await cut.Find("[data-testid='copy-metadata']").ClickAsync(new());

        var copied = copying.Invocations.Select(i => (string)i.Arguments[0]!).ToList();
        Assert.Equal([cut.Find("[data-testid='event-data']").TextContent, cut.Find("[data-testid='event-metadata']").TextContent], copied);
        Assert.Contains("\"reference\": \"SAL-1\"", copied[0], StringComparison.Ordinal);
        Assert.Equal("Copy the data of revision 1", cut.Find("[data-testid='copy-data']").GetAttribute("aria-label"));
        snackbar.WaitForAssertion(() => Assert.Contains("Data of revision 1 copied.", snackbar.Markup, StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task AColumnHidden_LeavesTheTable_TheDetailsSpanWhatIsLeft_AndTheBrowserKeepsTheChoice()
    {
        var snapshot = await LoadSnapshotAsync(ledger, TimelineLedger.AccountId, TestContext.Current.CancellationToken);
        JSInterop.Setup<string[]?>("auditDashboard.hiddenColumns").SetResult(["Balance after", "Not a column"]);
        var saving = JSInterop.SetupVoid("auditDashboard.saveHiddenColumns", _ => true);
        saving.SetVoidResult();
        var popovers = RenderPopoverProvider();
        var cut = RenderTimeline(snapshot);

        // Kept from before: Balance after is hidden (a name that is no column is ignored).
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("td[data-label='Balance after']")));
        Assert.NotEmpty(cut.FindAll("td[data-label='Actor']"));
        await cut.Find("[data-testid='timeline-columns'] button").ClickAsync(new());
        await popovers.WaitForAssertionAsync(() => Assert.NotEmpty(popovers.FindAll("[data-testid='column-actor']")));
        Assert.Equal("Show Balance after", popovers.Find("[data-testid='column-balance-after']").TextContent.Trim());
        await popovers.Find("[data-testid='column-actor']").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("td[data-label='Actor']")));
        Assert.DoesNotContain("Actor", cut.Find("thead").TextContent, StringComparison.Ordinal);
        var kept = Assert.Single(saving.Invocations.Last().Arguments);
        Assert.Equal(["Balance after", "Actor"], (string[])kept!);
        await cut.Find("[data-testid='expand-1']").ClickAsync(new());
        Assert.Equal("6", cut.Find("td.details-cell").GetAttribute("colspan")); // expand, recorded, rev, type, amount, reason
    }

    [Fact(Timeout = 30_000)]
    public async Task ClickingExpandTwice_HidesTheDetailsAgain()
    {
        var snapshot = await LoadSnapshotAsync(ledger, TimelineLedger.AccountId, TestContext.Current.CancellationToken);
        var cut = RenderTimeline(snapshot);

        await cut.Find("[data-testid='expand-2']").ClickAsync(new());
        await cut.Find("[data-testid='expand-2']").ClickAsync(new());

        Assert.Empty(cut.FindAll("[data-testid='event-details']"));
    }

    [Fact(Timeout = 30_000)]
    public async Task ChoosingAnEventTypeInTheFilter_ShowsOnlyEventsOfThatType()
    {
        var snapshot = await LoadSnapshotAsync(ledger, TimelineLedger.AccountId, TestContext.Current.CancellationToken);
        var popovers = RenderPopoverProvider();
        var cut = RenderTimeline(snapshot);

        await cut.Find(".filter-types").MouseDownAsync(new());
        await OptionNamed(popovers, "FundsDeposited").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal(["5", "4", "1"], Column(cut, "Rev")));
        Assert.Equal("3 of 7 events", cut.Find("[data-testid='timeline-count']").TextContent.Trim());
    }

    [Fact(Timeout = 30_000)]
    public async Task ChoosingTwoEventTypes_ShowsEventsOfEither()
    {
        var snapshot = await LoadSnapshotAsync(ledger, TimelineLedger.AccountId, TestContext.Current.CancellationToken);
        var popovers = RenderPopoverProvider();
        var cut = RenderTimeline(snapshot);

        await cut.Find(".filter-types").MouseDownAsync(new());
        await OptionNamed(popovers, "AccountOpened").ClickAsync(new());
        await OptionNamed(popovers, "FundsWithdrawn").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal(["2", "0"], Column(cut, "Rev")));
    }

    [Fact(Timeout = 30_000)]
    public async Task TypingAnActorAndPickingTheSuggestion_ShowsOnlyThatActorsEvents()
    {
        var snapshot = await LoadSnapshotAsync(ledger, TimelineLedger.AccountId, TestContext.Current.CancellationToken);
        var popovers = RenderPopoverProvider();
        var cut = RenderTimeline(snapshot);
        var actor = cut.Find(".filter-actor input");

        await actor.FocusAsync(new());
        await actor.InputAsync("bo");
        popovers.WaitForAssertion(() => Assert.Equal(["bob"], Options(popovers)));
        await OptionNamed(popovers, "bob").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal(["5", "2"], Column(cut, "Rev")));
        Assert.Equal(["bob", "bob"], Column(cut, "Actor"));
        Assert.Equal("2 of 7 events", cut.Find("[data-testid='timeline-count']").TextContent.Trim());
    }

    [Fact(Timeout = 30_000)]
    public async Task EventsOfUnknownTypeOrUnparseableJson_AreFlagged_LeaveTheBalanceUnchanged_AndTheRestStillRenders()
    {
        var snapshot = await LoadSnapshotAsync(ledger, TimelineLedger.AccountId, TestContext.Current.CancellationToken);

        var cut = RenderTimeline(snapshot);

        var flaggedRows = cut.FindAll("tbody tr")
            .Where(row => row.QuerySelector("[data-testid='entry-warning']") is not null)
            .Select(row => (Rev: row.QuerySelector("td[data-label='Rev']")!.TextContent.Trim(), Label: row.QuerySelector("[data-testid='entry-warning']")!.TextContent.Trim()))
            .ToList();
        Assert.Equal([("4", "Unreadable"), ("3", "Unknown type")], flaggedRows);
        Assert.Equal(["120.00 EUR", "120.00 EUR", "70.00 EUR", "70.00 EUR", "70.00 EUR", "100.00 EUR", "0.00 EUR"], Column(cut, "Balance after"));
        Assert.Equal(7, Column(cut, "Rev").Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task ExpandingAnUnparseableEvent_ShowsTheStoredTextAndWhyItWasNotApplied()
    {
        var snapshot = await LoadSnapshotAsync(ledger, TimelineLedger.AccountId, TestContext.Current.CancellationToken);
        var cut = RenderTimeline(snapshot);

        await cut.Find($"[data-testid='expand-{TimelineLedger.UnreadableRevision}']").ClickAsync(new());

        Assert.Equal("""{"amount": 999, "currency": "EUR" """, cut.Find("[data-testid='event-data']").TextContent);
        Assert.Contains("does not parse", cut.Find("[data-testid='entry-problem']").TextContent, StringComparison.Ordinal);
        Assert.Contains("\"actor\": \"carol\"", cut.Find("[data-testid='event-metadata']").TextContent, StringComparison.Ordinal);
    }

    private IRenderedComponent<Timeline> RenderTimeline(TimelineSnapshot snapshot)
    {
        var cut = Render<Timeline>(p => p.Add(t => t.Snapshot, snapshot));

        // The table asks for its first page after its first render.
        cut.WaitForAssertion(() => Assert.NotEmpty(Column(cut, "Rev")));
        return cut;
    }

    private static List<string> Column(IRenderedComponent<Timeline> cut, string label) =>
        cut.FindAll($"td[data-label='{label}']").Select(td => td.TextContent.Trim()).ToList();

    private static List<string> Options(IRenderedComponent<MudPopoverProvider> popovers) =>
        popovers.FindAll(".mud-popover-open [role='option']").Select(option => option.TextContent.Trim()).ToList();

    private static AngleSharp.Dom.IElement OptionNamed(IRenderedComponent<MudPopoverProvider> popovers, string text) =>
        popovers.WaitForElements(".mud-popover-open [role='option']")
            .Single(option => option.TextContent.Trim() == text);
}
