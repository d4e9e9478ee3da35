using AuditDashboard.Core.Export;

namespace AuditDashboard.Tests.Hosting;

/// <summary>The app's access recorder service appends a batch on its own once its window has ended, with no flush asked for.</summary>
public sealed class AccessRecorderServiceTests
{
    [Fact(Timeout = 60_000)]
    public async Task ABatch_IsAppendedByTheApp_SoonAfterItsWindowEnds()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var dashboard = await OwnDashboard.StartAsync(new Dictionary<string, string?> { ["AccessLog:BatchWindow"] = "00:00:01" }, cancellationToken);
        var store = dashboard.Factory.Services.GetRequiredService<IEventStore>();
        using var client = dashboard.CreateClient(DashboardFactory.OperatorKey);

        using var response = await client.GetAsync("/api/accounts/NOT-THERE-1", cancellationToken);
        using var again = await client.GetAsync("/api/accounts/NOT-THERE-1/events", cancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        List<AccessRecorded> recorded = [];
        await Eventually.UntilAsync(
            async token => (recorded = [.. (await AccessLog.ReadNewestAsync(store, 0, 10, token).ToListAsync(token)).Select(e => e.Access).OfType<AccessRecorded>()]).Sum(a => a.Count) == 2,
            "both looks to be appended once their one-second window ended", TimeSpan.FromSeconds(15), cancellationToken);
        Assert.All(recorded, a => Assert.Equal(("NOT-THERE-1", AccessOutcome.NotFound), (a.AccountId, a.Outcome)));
    }
}
