using AuditDashboard.Access;
using AuditDashboard.Components.Pages.AccessLog;
using Microsoft.AspNetCore.Components;

namespace AuditDashboard.Tests.Components;

/// <summary>
/// The access log page over a real ledger holding looks at account data: it lists them with who, what, how often and
/// from where, takes its filters from the address (times in the viewer's zone, Paris here), and names a filter that is
/// not valid instead of listing anything.
/// </summary>
public sealed class AccessLogFilterPageTests : MudComponentTest, IClassFixture<LookAccessLedger>
{
    public AccessLogFilterPageTests(LookAccessLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        Services.AddSingleton(ledger.Store);
        Services.AddScoped<AccessLogReader>();
        AddAuthorization();
    }

    [Fact(Timeout = 30_000)]
    public async Task Looks_AreListedWithWhoWhatHowOftenAndFromWhere()
    {
        var page = await RenderAsync("", rows: 4, TestContext.Current.CancellationToken);

        var look = page.FindAll("[data-testid=access-log] tbody tr")[2];
        Assert.Equal("olivia", look.QuerySelector("[data-testid=access-who]")!.TextContent.Trim());
        Assert.Equal("ACC-7", look.QuerySelector("[data-testid=access-account]")!.TextContent.Trim());
        Assert.Equal("Viewed the account page", look.QuerySelector("[data-testid=access-action]")!.TextContent.Trim());
        Assert.Equal("12", look.QuerySelector("[data-testid=access-count]")!.TextContent.Trim());
        Assert.Equal("203.0.113.9", look.QuerySelector("[data-testid=access-address]")!.TextContent.Trim());
        // 09:10 to 09:13 UTC is 10:10 to 10:13 in Paris.
        Assert.Contains("2026-12-01 10:10:00 – 2026-12-01 10:13:00", Normalized(look.QuerySelector("[data-testid=access-look]")!.TextContent), StringComparison.Ordinal);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("?account=ACC-7", new[] { "api-key:dev-operator", "olivia" })]
    [InlineData("?user=SAM", new[] { "sam" })]
    [InlineData("?action=AccountRead", new[] { "api-key:dev-operator" })]
    [InlineData("?action=SignIn", new[] { "carla" })]
    // Paris time: 11:00 to 12:30 is 10:00 to 11:30 UTC, which holds only the API read at 11:00 UTC.
    [InlineData("?from=2026-12-01T11:00&to=2026-12-01T12:30", new[] { "api-key:dev-operator" })]
    public async Task FiltersInTheAddress_ListOnlyTheMatchingEntries(string query, string[] who)
    {
        var page = await RenderAsync(query, rows: who.Length, TestContext.Current.CancellationToken);

        Assert.Equal(who, page.FindAll("[data-testid=access-who]").Select(w => w.TextContent.Trim()));
    }

    [Fact(Timeout = 30_000)]
    public async Task ABadFilterInTheAddress_IsNamed_AndNothingIsListed()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("access-log?from=last%20week");
        var page = Render<AccessLogPage>();

        await page.WaitForAssertionAsync(() => Assert.Contains("from:", string.Join("|", page.FindAll(".mud-input-error").Select(e => e.TextContent)), StringComparison.Ordinal)).WaitAsync(TestContext.Current.CancellationToken);
        Assert.Empty(page.FindAll("[data-testid=access-who]"));
        Assert.Equal("Nothing recorded matches these filters.", page.Find("[data-testid=access-log-empty]").TextContent.Trim());
    }

    private async Task<IRenderedComponent<AccessLogPage>> RenderAsync(string query, int rows, CancellationToken cancellationToken)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("access-log" + query);
        var page = Render<AccessLogPage>();
        await page.WaitForAssertionAsync(() => Assert.Equal(rows, page.FindAll("[data-testid=access-who]").Count)).WaitAsync(cancellationToken);
        return page;
    }

    private static string Normalized(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
