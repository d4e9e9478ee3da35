namespace AuditDashboard.Tests.Pages;

/// <summary>
/// The first answer for an account page is prerendered on the server. A long account is not read for it (that would hold
/// the answer back with nothing on screen): the page says it is reading, and the live page reads it with its progress.
/// A short account is prerendered whole, as before.
/// </summary>
public sealed class LongAccountPageTests
{
    private const string LongAccount = "LONG-0002";
    private const string ShortAccount = "SHORT-0002";

    [Fact(Timeout = 60_000)]
    public async Task ThePrerenderedPage_OfALongAccount_SaysItIsReading_WithoutReadingIt_AndOfAShortOneShowsTheState()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = await OwnDashboard.StartAsync(new Dictionary<string, string?>(), cancellationToken);
        var store = app.Factory.Services.GetRequiredService<IEventStore>();
        await AppendAsync(store, LongAccount, 20_001, cancellationToken);
        await AppendAsync(store, ShortAccount, 3, cancellationToken);
        var timelines = app.Factory.Services.GetRequiredService<AccountTimelines>();
        using var browser = new BrowserSession(app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));
        using var signIn = await browser.SignInAsync("olivia", DashboardFactory.DevPassword, cancellationToken);

        using var longPage = await browser.GetAsync($"/accounts/{LongAccount}", cancellationToken);
        using var shortPage = await browser.GetAsync($"/accounts/{ShortAccount}", cancellationToken);

        var longHtml = await longPage.Content.ReadAsStringAsync(cancellationToken);
        var shortHtml = await shortPage.Content.ReadAsStringAsync(cancellationToken);
        Assert.Equal(HttpStatusCode.OK, longPage.StatusCode);
        Assert.Contains("Reading the account", longHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"state-card\"", longHtml, StringComparison.Ordinal);
        Assert.False(timelines.Holds(LongAccount), "prerendering the page read the long account");
        Assert.Equal(HttpStatusCode.OK, shortPage.StatusCode);
        Assert.Contains("data-testid=\"state-card\"", shortHtml, StringComparison.Ordinal);
    }

    private static async Task AppendAsync(IEventStore store, string account, int events, CancellationToken cancellationToken)
    {
        var metadata = new EventMetadata("batch-job", "Volume test", "corr-1", null, "tests");
        var batch = new List<EventData> { AccountEventCodec.Encode(Guid.NewGuid(), new AccountOpened(account, "Volume Owner", "EUR"), metadata) };
        var expected = ExpectedRevision.NoStream;
        for (var written = 0; written < events; written += batch.Count, batch.Clear())
        {
            while (batch.Count < 2_000 && written + batch.Count < events)
                batch.Add(AccountEventCodec.Encode(Guid.NewGuid(), new FundsDeposited(1m, "EUR", null), metadata));
            var result = await store.AppendAsync(AccountIds.StreamOf(account), expected, batch, cancellationToken);
            expected = ExpectedRevision.Exact(result.NextExpectedRevision);
        }
    }
}
