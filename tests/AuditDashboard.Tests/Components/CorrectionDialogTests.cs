using AuditDashboard.Components.Pages.Accounts.Corrections;
using AuditDashboard.Tests.Components.Corrections;

namespace AuditDashboard.Tests.Components;

/// <summary>
/// The correction dialog, opened through the dialog service as the account page opens it, over a real ledger, the real
/// correction service and the app's real PostCorrections policy (Support role); only the signed-in user is faked.
/// </summary>
public sealed class CorrectionDialogTests(CorrectionDialogLedger ledger) : MudComponentTest, IClassFixture<CorrectionDialogLedger>
{
    private const string GoodReason = "Deposit recorded twice by the payments gateway";
    private const string Reason = "[data-testid=correction-reason]";
    private const string Amount = "[data-testid=correction-amount]";
    private const string Preview = "[data-testid=correction-preview]";
    private const string Post = "[data-testid=correction-post]";

    [Theory(Timeout = 30_000)]
    [InlineData("", "Give the reason for the correction.")]
    [InlineData("   ", "Give the reason for the correction.")]
    [InlineData("Duplicate", "The reason must be at least 10 characters; it has 9.")]
    [InlineData("TENTHOUSAND", "The reason must be at most 1,000 characters; it has 10000.")]
    [InlineData("\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B",
        "The reason must be at least 10 characters; it has 0 (spaces and invisible characters such as zero-width spaces do not count).")]
    [InlineData("Rent \u202Etnemyap deificul duplicate", "The reason contains a right-to-left override (U+202E) at position 6; remove it.")]
    [InlineData("Duplicate\0 deposit from the gateway", "The reason contains a null character (U+0000) at position 10; remove it.")]
    public async Task Reason_MissingTooShortOrTooLong_ShowsTheMessageUnderTheField_AndCannotBePosted(string typed, string message)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var reason = typed == "TENTHOUSAND" ? new string('x', 10_000) : typed;
        var (dialog, _) = await OpenAsync("sam", [Roles.Support], CorrectionDialogLedger.ReadOnlyAccount, CorrectionKind.Reversal, CorrectionDialogLedger.DuplicateRevision, cancellation);

        // Valid first, so the test sees the preview and the button go away again.
        Type(dialog, Reason, GoodReason);
        dialog.WaitForAssertion(() => Assert.Single(dialog.FindAll(Preview)));
        Type(dialog, Reason, reason);

        dialog.WaitForAssertion(() => Assert.Equal(message, MessageUnder(dialog, Reason)));
        Assert.Empty(dialog.FindAll(Preview));
        Assert.True(dialog.Find(Post).HasAttribute("disabled"), "The post button is enabled with an invalid reason.");
        await dialog.Find(Post).ClickAsync(new());
        Assert.Equal(4, (await EventsAsync(CorrectionDialogLedger.ReadOnlyAccount, cancellation)).Count);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("0", "The amount cannot be zero.")]
    [InlineData("1.005", "EUR has 2 decimal places; 1.005 has more.")]
    [InlineData("abc", "“abc” is not an amount; write it like -12.50.")]
    public async Task AdjustmentAmount_ZeroOverPreciseOrNotANumber_ShowsAMessage_AndNoPreview(string typed, string message)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var (dialog, _) = await OpenAsync("sam", [Roles.Support], CorrectionDialogLedger.ReadOnlyAccount, CorrectionKind.Adjustment, target: null, cancellation);
        Type(dialog, Reason, GoodReason);
        Type(dialog, Amount, "-1.50");
        dialog.WaitForAssertion(() => Assert.Single(dialog.FindAll(Preview)));

        Type(dialog, Amount, typed);

        dialog.WaitForAssertion(() => Assert.Equal(message, MessageUnder(dialog, Amount)));
        Assert.Null(MessageUnder(dialog, Reason));
        Assert.Empty(dialog.FindAll(Preview));
        Assert.True(dialog.Find(Post).HasAttribute("disabled"), $"The post button is enabled with the amount '{typed}'.");
    }

    [Fact(Timeout = 30_000)]
    public async Task ValidReversal_PreviewsTheBalanceNowAndAfter_InBothViews()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var (dialog, _) = await OpenAsync("sam", [Roles.Support], CorrectionDialogLedger.ReadOnlyAccount, CorrectionKind.Reversal, CorrectionDialogLedger.DuplicateRevision, cancellation);
        Assert.Empty(dialog.FindAll(Preview));
        Assert.True(dialog.Find(Post).HasAttribute("disabled"), "The post button is enabled before a reason was given.");

        Type(dialog, Reason, GoodReason);

        dialog.WaitForAssertion(() => Assert.Single(dialog.FindAll(Preview)));
        var rows = dialog.FindAll($"{Preview} tbody tr")
            .Select(r => r.Children.Select(c => c.TextContent.Trim()).ToArray())
            .ToList();
        Assert.Equal(
            [
                ["As recorded", "170.00 EUR", "→", "70.00 EUR"],
                ["As corrected", "170.00 EUR", "→", "70.00 EUR"],
            ],
            rows);
        Assert.Null(MessageUnder(dialog, Reason));
        Assert.False(dialog.Find(Post).HasAttribute("disabled"), "The post button is disabled with a valid reversal previewed.");
        Assert.Equal(4, (await EventsAsync(CorrectionDialogLedger.ReadOnlyAccount, cancellation)).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task Posting_WritesOneReversal_WithTheActorAndTheReversedEventAsCause_AndClosesTheDialog()
    {
        var cancellation = TestContext.Current.CancellationToken;
        const string account = CorrectionDialogLedger.PostAccount;
        var duplicate = (await EventsAsync(account, cancellation))[(int)CorrectionDialogLedger.DuplicateRevision];
        var (dialog, reference) = await OpenAsync("sam", [Roles.Support], account, CorrectionKind.Reversal, CorrectionDialogLedger.DuplicateRevision, cancellation);
        Type(dialog, Reason, "  " + GoodReason + "  ");
        dialog.WaitForAssertion(() => Assert.False(dialog.Find(Post).HasAttribute("disabled")));

        await dialog.Find(Post).ClickAsync(new());

        var result = await reference.Result.WaitAsync(Ledger.Patience, cancellation);
        Assert.NotNull(result);
        Assert.False(result.Canceled);
        Assert.Equal(4L, result.Data);
        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll(Reason)));

        var events = await EventsAsync(account, cancellation);
        var reversal = Assert.Single(events, e => e.EventType == nameof(TransactionReversed));
        Assert.Equal(4, reversal.Revision);
        Assert.Equal(5, events.Count);
        var decoded = AccountEventCodec.Decode(reversal);
        var reversed = Assert.IsType<TransactionReversed>(decoded.Event);
        Assert.Equal(duplicate.EventId, reversed.ReversedEventId);
        Assert.Equal(-100m, reversed.Amount);
        Assert.Equal("EUR", reversed.Currency);
        Assert.NotNull(decoded.Metadata);
        Assert.Equal("sam", decoded.Metadata.Actor);
        Assert.Equal(GoodReason, decoded.Metadata.Reason);
        Assert.Equal(duplicate.EventId.ToString(), decoded.Metadata.CausationId);
        Assert.False(string.IsNullOrEmpty(decoded.Metadata.CorrelationId));
    }

    [Fact(Timeout = 30_000)]
    public async Task AccountChangedMeanwhile_ShowsTheConflict_WritesNothing_AndPreviewAgainLetsItPost()
    {
        var cancellation = TestContext.Current.CancellationToken;
        const string account = CorrectionDialogLedger.ConflictAccount;
        var (dialog, reference) = await OpenAsync("sam", [Roles.Support], account, CorrectionKind.Reversal, CorrectionDialogLedger.DuplicateRevision, cancellation);
        Type(dialog, Reason, GoodReason);
        dialog.WaitForAssertion(() => Assert.False(dialog.Find(Post).HasAttribute("disabled")));

        // Another writer deposits while the dialog is open.
        await Ledger.AppendAsync(ledger.Store, account,
            [Ledger.Encode(new FundsDeposited(50m, "EUR", "TRX-2"), Ledger.By("teller:bo", "Cash deposit"))], cancellation);
        await dialog.Find(Post).ClickAsync(new());

        var conflict = dialog.WaitForElement("[data-testid=correction-conflict]");
        Assert.Contains("1 new event (now at revision 4). Nothing was written.", conflict.TextContent, StringComparison.Ordinal);
        Assert.Contains("FundsDeposited", conflict.TextContent, StringComparison.Ordinal);
        Assert.Contains("teller:bo", conflict.TextContent, StringComparison.Ordinal);
        Assert.False(reference.Result.IsCompleted, "The dialog closed on a conflict.");
        var events = await EventsAsync(account, cancellation);
        Assert.Equal(5, events.Count);
        Assert.DoesNotContain(events, e => e.EventType == nameof(TransactionReversed));

        await dialog.Find("[data-testid=preview-again]").ClickAsync(new());

        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll("[data-testid=correction-conflict]")));
        dialog.WaitForAssertion(() => Assert.Equal(
            ["As recorded", "220.00 EUR", "→", "120.00 EUR"],
            dialog.Find($"{Preview} tbody tr").Children.Select(c => c.TextContent.Trim()).ToArray()));
        await dialog.Find(Post).ClickAsync(new());

        var result = await reference.Result.WaitAsync(Ledger.Patience, cancellation);
        Assert.False(result!.Canceled);
        Assert.Equal(5L, result.Data);
        events = await EventsAsync(account, cancellation);
        Assert.Equal(6, events.Count);
        Assert.Equal(nameof(TransactionReversed), Assert.Single(events, e => e.EventType == nameof(TransactionReversed)).EventType);
        Assert.Equal(5, events[^1].Revision);
    }

    [Fact(Timeout = 30_000)]
    public async Task UserWithoutSupportRole_ClickingPost_WritesNothing_AndIsTold()
    {
        var cancellation = TestContext.Current.CancellationToken;
        const string account = CorrectionDialogLedger.OperatorAccount;
        var (dialog, reference) = await OpenAsync("olivia", [Roles.Operator], account, CorrectionKind.Reversal, CorrectionDialogLedger.DuplicateRevision, cancellation);
        Type(dialog, Reason, GoodReason);
        dialog.WaitForAssertion(() => Assert.False(dialog.Find(Post).HasAttribute("disabled")));

        await dialog.Find(Post).ClickAsync(new());

        dialog.WaitForAssertion(() => Assert.Equal(
            "Only Support staff may post corrections.", dialog.Find("[data-testid=correction-error]").TextContent.Trim()));
        Assert.False(reference.Result.IsCompleted, "The dialog closed although nothing may be posted.");
        Assert.Equal(4, (await EventsAsync(account, cancellation)).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task MarkupInTheReason_IsRenderedAsText()
    {
        var cancellation = TestContext.Current.CancellationToken;
        const string typed = "<b>bold</b><script>window.pwned = 1</script><img src=x onerror=alert(1)> typo";
        var (dialog, _) = await OpenAsync("sam", [Roles.Support], CorrectionDialogLedger.ReadOnlyAccount, CorrectionKind.Reversal, CorrectionDialogLedger.DuplicateRevision, cancellation);

        Type(dialog, Reason, typed);

        dialog.WaitForAssertion(() => Assert.Single(dialog.FindAll(Preview)));
        var textarea = dialog.Find(Reason);
        Assert.Equal(typed, textarea.GetAttribute("value") ?? textarea.TextContent);
        // The reversed event's own reason holds markup too: shown as text.
        Assert.Contains(CorrectionDialogLedger.DuplicateReason, dialog.Find(".mud-dialog").TextContent, StringComparison.Ordinal);
        Assert.Empty(dialog.FindAll(".mud-dialog b, .mud-dialog script, .mud-dialog img"));
    }

    /// <summary>Signs <paramref name="user"/> in and opens the dialog through the dialog service, as the account page does.</summary>
    private async Task<(IRenderedComponent<MudDialogProvider> Dialog, IDialogReference Reference)> OpenAsync(
        string user, string[] roles, string accountId, CorrectionKind kind, long? target, CancellationToken cancellation)
    {
        UseLedger(ledger);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<CorrectionService>();
        AddAuthorization().SetAuthorized(user).SetRoles(roles);

        // bUnit's stand-in grants policies by name; the dialog must meet the app's own policy, so use the real one.
        Services.RemoveAll<IAuthorizationService>();
        Services.RemoveAll<IAuthorizationPolicyProvider>();
        Services.AddAuthorizationCore(o => o.AddPolicy(Policies.PostCorrections, p => p.RequireRole(Roles.Support)));

        var provider = Render<MudDialogProvider>();
        var snapshot = await LoadSnapshotAsync(ledger, accountId, cancellation);
        var parameters = new DialogParameters<CorrectionDialog>
        {
            { d => d.AccountId, accountId },
            { d => d.Snapshot, snapshot },
            { d => d.Kind, kind },
            { d => d.Target, target is { } revision ? snapshot.Single(e => e.Revision == revision) : null },
        };
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<CorrectionDialog>(null, parameters));
        provider.WaitForElement(Reason);
        return (provider, reference!);
    }

    private static void Type(IRenderedComponent<MudDialogProvider> dialog, string field, string text) =>
        dialog.Find(field).Input(text);

    /// <summary>The error shown under a field, or null when it shows none.</summary>
    private static string? MessageUnder(IRenderedComponent<MudDialogProvider> dialog, string field)
    {
        var control = dialog.Find(field).Closest(".mud-input-control")
            ?? throw new InvalidOperationException($"{field} is not inside a MudBlazor input control.");
        var message = control.QuerySelector(".mud-input-helper-text.mud-input-error .me-auto")?.TextContent.Trim();
        if (string.IsNullOrEmpty(message))
            return null;
        Assert.Equal("true", dialog.Find(field).GetAttribute("aria-invalid"));
        return message;
    }

    private async Task<List<RecordedEvent>> EventsAsync(string accountId, CancellationToken cancellation)
    {
        var events = new List<RecordedEvent>();
        await foreach (var e in ledger.Store.ReadStreamAsync(AccountIds.StreamOf(accountId), Direction.Forwards, 0, 1_000, cancellation))
            events.Add(e);
        return events;
    }
}
