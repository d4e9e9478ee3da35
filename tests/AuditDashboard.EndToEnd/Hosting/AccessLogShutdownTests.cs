using System.Net;
using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Core.Export;

namespace AuditDashboard.EndToEnd.Hosting;

/// <summary>
/// The dashboard as a process, stopped with SIGTERM long before the access log's batch window ends: the look at an account
/// it served is in the ledger file once the process has exited, appended by the shutdown's flush.
/// </summary>
public sealed class AccessLogShutdownTests
{
    private const string DemoAccount = "ACC-100007";

    [Fact(Timeout = 180_000)]
    public async Task StoppedWithSigterm_BeforeTheWindowEnds_TheLookIsInTheAccessLog()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = new AppProcess
        {
            // An hour: only the shutdown's flush can have appended the look.
            Settings = new Dictionary<string, string> { ["Kafka__Enabled"] = "false", ["AccessLog__BatchWindow"] = "01:00:00" },
        };
        await app.InitializeAsync();
        using (var api = app.CreateApiClient())
        {
            using var state = await api.GetAsync(new Uri($"api/accounts/{DemoAccount}/state", UriKind.Relative), cancellationToken);
            using var events = await api.GetAsync(new Uri($"api/accounts/{DemoAccount}/events?count=5", UriKind.Relative), cancellationToken);
            Assert.Equal(HttpStatusCode.OK, state.StatusCode);
            Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        }

        await app.Process.TerminateAsync();
        var exited = await app.Process.WaitForExitAsync(TimeSpan.FromSeconds(60), cancellationToken);

        Assert.True(exited, $"The app did not exit within a minute of SIGTERM.\n{app.Process.Describe()}");
        Assert.True(app.Process.ExitCode == 0, $"The app exited with code {app.Process.ExitCode} after SIGTERM.\n{app.Process.Describe()}");
        await using var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={app.DatabasePath}"));
        await store.InitializeAsync(cancellationToken);
        var looks = (await AccessLog.ReadNewestAsync(store, 0, 1000, cancellationToken).ToListAsync(cancellationToken)).Select(e => e.Access).OfType<AccessRecorded>().ToList();
        var look = Assert.Single(looks, a => a.AccountId == DemoAccount);
        Assert.Equal(("api-key:dev-operator", AccessAction.AccountRead, 2, AccessOutcome.Allowed, "127.0.0.1"), (look.Who, look.Action, look.Count, look.Outcome, look.ClientAddress));
    }
}
