using AuditDashboard.Components.Pages.Reports;
using Microsoft.AspNetCore.Components;

namespace AuditDashboard.Tests.Components;

/// <summary>The corrections report page over a real ledger whose event index the real ledger feed filled.</summary>
public sealed class CorrectionsReportPageTests(ReportLedger ledger) : MudComponentTest, IClassFixture<ReportLedger>
{
    [Fact]
    public void Report_OfAPeriodHoldingTheLedger_ShowsItsFigures_PerCurrency_AndNamesAsText()
    {
        var page = RenderAt(AroundToday());

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=report-figures]")));
        Assert.Equal("3", page.Find("[data-testid=figure-corrections]").TextContent.Trim());
        Assert.Equal("1", page.Find("[data-testid=figure-proposed]").TextContent.Trim());
        Assert.Equal("0", page.Find("[data-testid=figure-pending]").TextContent.Trim());
        Assert.Equal(
            ["sam 2 -80.00 EUR 120.00 EUR", $"{ReportLedger.MarkupActor} 1 50.00 USD 50.00 USD"],
            Rows(page, "by-actor"));
        Assert.Equal(["EUR 2 -80.00 EUR 120.00 EUR", "USD 1 50.00 USD 50.00 USD"], Rows(page, "by-currency"));
        Assert.Equal(["Balance correction 2 20.00 EUR 50.00 USD 20.00 EUR 50.00 USD", "Reversal 1 -100.00 EUR 100.00 EUR"], Rows(page, "by-kind"));
        Assert.Empty(page.FindAll("[data-testid=by-actor] b"));
        Assert.Equal(["1", "0", "1", "0"], page.FindAll("[data-testid=four-eyes] td.num").Take(4).Select(c => c.TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=report-error]"));
    }

    [Fact]
    public void Period_WhoseStartIsAfterItsEnd_IsRefusedWithAMessage_AndNothingIsRead()
    {
        var page = RenderAt("reports/corrections?period=custom&from=2026-12-02&to=2026-12-01");

        Assert.Equal("The period is empty: from (2026-12-02) is after to (2026-12-01).", page.Find("[data-testid=report-error]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=report-figures]"));
        Assert.Empty(page.FindAll("[data-testid=report-loading]"));
    }

    [Theory]
    [InlineData("period=custom&from=yesterday&to=2026-12-01", "from 'yesterday' is not a day: use YYYY-MM-DD, e.g. 2026-11-30, from 1970 to 9998.")]
    [InlineData("period=custom&from=2026-12-01", "Give both days of the period: to is missing.")]
    [InlineData("period=next-year", "'next-year' is not a period: use this-month, last-month, this-quarter, custom, or from and to.")]
    public void BadPeriod_IsRefusedWithAMessage(string query, string message)
    {
        var page = RenderAt($"reports/corrections?{query}");

        Assert.Equal(message, page.Find("[data-testid=report-error]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=report-figures]"));
    }

    [Fact]
    public void Period_WithoutCorrections_SaysSo()
    {
        var page = RenderAt("reports/corrections?period=custom&from=2001-01-01&to=2001-01-31");

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=report-figures]")));
        Assert.Equal("0", page.Find("[data-testid=figure-corrections]").TextContent.Trim());
        Assert.Equal("No correction was recorded in this period.", page.Find("[data-testid=chart-empty]").TextContent.Trim());
    }

    private static string AroundToday()
    {
        var today = DateOnly.FromDateTime(Viewer.ToLocal(DateTimeOffset.UtcNow).DateTime);
        return $"reports/corrections?period=custom&from={PeriodChoice.Text(today.AddDays(-1))}&to={PeriodChoice.Text(today.AddDays(1))}";
    }

    private IRenderedComponent<CorrectionsReportPage> RenderAt(string address)
    {
        Services.AddSingleton(ledger.Directory);
        Services.AddSingleton(TimeProvider.System);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        return Render<CorrectionsReportPage>();
    }

    private static List<string> Rows(IRenderedComponent<CorrectionsReportPage> page, string table) =>
        page.FindAll($"[data-testid={table}] tbody tr")
            .Select(r => string.Join(" ", r.QuerySelectorAll("td").SelectMany(c => c.QuerySelectorAll("div").Length > 0
                ? c.QuerySelectorAll("div").Select(d => d.TextContent.Trim())
                : [c.TextContent.Trim()])))
            .ToList();
}
