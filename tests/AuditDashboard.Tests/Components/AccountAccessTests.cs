using AuditDashboard.Access;
using AuditDashboard.Components.Pages.Accounts;
using AuditDashboard.Core.Export;
using AuditDashboard.Tests.Components.Replay;
using Microsoft.AspNetCore.Components;

namespace AuditDashboard.Tests.Components;

/// <summary>
/// The account page and the access log: it records one look per account it opens (not one per step of the slider), with
/// where the user's request came from, and shows who viewed the account to compliance reviewers only, with the app's own
/// policies deciding on the server.
/// </summary>
public sealed class AccountAccessTests : MudComponentTest, IClassFixture<ReplayLedger>
{
    private const string AccountId = ReplayLedger.AccountId;

    // The fixture's store stamps every append with the time of the account's last event: the looks are set just before
    // it, and the page's "now" an hour after, as a recorder's append would follow the looks it records.
    private static readonly DateTimeOffset StoreTime = ReplayLedger.History[^1].Recorded;
    private readonly ReplayLedger _ledger;

    public AccountAccessTests(ReplayLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        _ledger = ledger;
        ledger.AddTo(Services);
        Services.AddSingleton<TimeProvider>(new ManualTimeProvider(StoreTime.AddHours(1)));
        Services.AddScoped<AccessLogReader>();
        Services.AddCascadingValue(_ => new ClientConnection("203.0.113.5", "Firefox/140"));
    }

    [Fact(Timeout = 30_000)]
    public async Task OpeningAnAccount_AndScrubbingItsSlider_RecordsOneLook_FromWhereTheUserIs()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        SignIn("olivia", Roles.Operator);
        var recorder = Services.GetRequiredService<AccessRecorder>();
        await recorder.FlushAllAsync(cancellationToken);
        var cut = await RenderPageAsync(cancellationToken);

        foreach (var revision in new[] { "1", "2", "3", "4", "5" })
            await cut.Find("[data-testid='replay-slider']").InputAsync(revision);
        await cut.WaitForAssertionAsync(() => Assert.Equal("revision 5 of 14", cut.Find("[data-testid='replay-position']").TextContent.Trim())).WaitAsync(cancellationToken);
        await recorder.FlushAllAsync(cancellationToken);

        var look = Assert.Single(await LooksAsync("olivia", cancellationToken));
        Assert.Equal(
            (AccessAction.AccountViewed, AccountId, 1, "203.0.113.5", "Firefox/140", AccessOutcome.Allowed),
            (look.Action, look.AccountId, look.Count, look.ClientAddress, look.UserAgent, look.Outcome));
    }

    [Fact(Timeout = 30_000)]
    public async Task AComplianceReviewer_SeesWhoViewedTheAccount()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await AppendLookAsync("sam", cancellationToken);
        SignIn("carla", Roles.ComplianceReviewer);

        var cut = await RenderPageAsync(cancellationToken);

        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("[data-testid='who-viewed-who']"))).WaitAsync(cancellationToken);
        var row = cut.FindAll("[data-testid='who-viewed-table'] tbody tr").First(r => r.QuerySelector("[data-testid='who-viewed-who']")!.TextContent == "sam");
        Assert.Equal("Viewed the page", row.QuerySelector("[data-testid='who-viewed-action']")!.TextContent.Trim());
        Assert.Equal("3", row.QuerySelector("[data-testid='who-viewed-count']")!.TextContent.Trim());
        Assert.Equal("198.51.100.7", row.QuerySelector("[data-testid='who-viewed-address']")!.TextContent.Trim());
    }

    [Fact(Timeout = 30_000)]
    public async Task AnOperator_DoesNotSeeWhoViewedTheAccount()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await AppendLookAsync("sam", cancellationToken);
        SignIn("olivia", Roles.Operator);

        var cut = await RenderPageAsync(cancellationToken);

        Assert.Empty(cut.FindAll("[data-testid='who-viewed']"));
        Assert.DoesNotContain("198.51.100.7", cut.Markup, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task TheCard_PlacedForAnOperator_ReadsNothing_AndSaysWhy()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await AppendLookAsync("sam", cancellationToken);
        SignIn("olivia", Roles.Operator);

        var card = Render<WhoViewedCard>(p => p.Add(c => c.AccountId, AccountId));

        await card.WaitForAssertionAsync(() => Assert.Equal(
            "Only compliance reviewers may see who viewed an account.", card.Find("[data-testid='who-viewed-error']").TextContent.Trim())).WaitAsync(cancellationToken);
        Assert.Empty(card.FindAll("[data-testid='who-viewed-table']"));
    }

    // The app's own policies, not bUnit's stand-in that grants any policy by name; then the page runs live.
    private void SignIn(string user, string role)
    {
        AddAuthorization().SetAuthorized(user).SetRoles(role);
        Services.RemoveAll<IAuthorizationService>();
        Services.RemoveAll<IAuthorizationPolicyProvider>();
        Services.AddAuthorizationCore(Policies.AddTo);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private async Task AppendLookAsync(string who, CancellationToken cancellationToken)
    {
        var look = new AccessRecorded(who, AccessAction.AccountViewed, AccountId, null, StoreTime.AddHours(-2), StoreTime.AddHours(-2).AddMinutes(3), 3, "198.51.100.7", "Safari", AccessOutcome.Allowed);
        await _ledger.Store.AppendAsync(AccessLog.StreamId, ExpectedRevision.Any, [AccessEvents.Event(Guid.NewGuid(), look)], cancellationToken);
    }

    private async Task<List<AccessRecorded>> LooksAsync(string who, CancellationToken cancellationToken) =>
        [.. (await AccessLogSearch.SearchAsync(_ledger.Store, new AccessLogFilter(User: who, AccountId: AccountId), 0, 100, cancellationToken)).Items.Select(e => e.Access).OfType<AccessRecorded>()];

    private async Task<IRenderedComponent<Account>> RenderPageAsync(CancellationToken cancellationToken)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"accounts/{AccountId}");
        var cut = Render<Account>(p => p.Add(a => a.AccountId, AccountId));
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("[data-testid='state-card']"))).WaitAsync(cancellationToken);
        return cut;
    }
}
