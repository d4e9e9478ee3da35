using AuditDashboard.Components.Pages.Accounts;

namespace AuditDashboard.Tests.Components;

public sealed class AccountStateCardTests(AccountsLedger ledger) : MudComponentTest, IClassFixture<AccountsLedger>
{
    [Fact(Timeout = 30_000)]
    public async Task StateCard_ShowsTheFoldedBalanceStatusOwnerAndRevision()
    {
        var snapshot = await LoadSnapshotAsync(ledger, "ACC-0002", TestContext.Current.CancellationToken);

        var cut = Render<AccountStateCard>(p => p.Add(c => c.State, snapshot.Current));

        Assert.Equal("60.00 CHF", cut.Find("[data-testid='balance']").TextContent.Trim());
        Assert.Equal("Frozen", cut.Find("[data-testid='status']").TextContent.Trim());
        Assert.Equal("3", cut.Find("[data-testid='revision']").TextContent.Trim());
        Assert.Contains("Bruno Keller", cut.Markup, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task StateCard_ShowsAClosedAccountInItsCurrencysMinorUnits()
    {
        var snapshot = await LoadSnapshotAsync(ledger, "ACC-0004", TestContext.Current.CancellationToken);

        var cut = Render<AccountStateCard>(p => p.Add(c => c.State, snapshot.Current));

        Assert.Equal("5,000 JPY", cut.Find("[data-testid='balance']").TextContent.Trim());
        Assert.Equal("Closed", cut.Find("[data-testid='status']").TextContent.Trim());
    }

    [Fact(Timeout = 30_000)]
    public async Task StateCard_ShowsTheOpeningTimeInTheViewersZone()
    {
        var snapshot = await LoadSnapshotAsync(ledger, "ACC-0001", TestContext.Current.CancellationToken);
        var openedAt = snapshot.Current.OpenedAt ?? throw new InvalidOperationException("ACC-0001 was opened.");

        var cut = Render<AccountStateCard>(p => p.Add(c => c.State, snapshot.Current));

        Assert.Contains(Viewer.Format(openedAt), cut.Markup, StringComparison.Ordinal);
        Assert.NotEqual(TimeSpan.Zero, Viewer.Zone.GetUtcOffset(openedAt));
    }
}
