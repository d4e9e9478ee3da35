using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace AuditDashboard.Tests.Hosting;

/// <summary>
/// An EventStoreDB server that does not answer does not stop the dashboard: it starts, says it is not ready, and keeps
/// trying (an embedded file that cannot be opened still stops it: see StartupValidationTests).
/// </summary>
public sealed class UnreachableEventStoreDbTests
{
    [Fact(Timeout = 60_000)]
    public async Task AnUnreachableServer_TheAppStarts_LiveButNotReady_AndSaysItWillTryAgain()
    {
        var cancellationToken = TestContext.Current.CancellationToken;

        // Port 1 on the loopback address: nothing listens there.
        await using var factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["EventStore:Provider"] = "EventStoreDb",
            ["EventStore:ConnectionString"] = "esdb://127.0.0.1:1?tls=false",
            ["DemoData:SeedOnFirstStart"] = "false",
        });
        var app = factory.WithWebHostBuilder(builder => builder
            .UseSetting("EventStore:Provider", "EventStoreDb")
            .UseSetting("EventStore:ConnectionString", "esdb://127.0.0.1:1?tls=false")
            .UseSetting("Kafka:Enabled", "false"));
        await Task.Run(() => app.Services, cancellationToken);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), cancellationToken);
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains(factory.Logs.Entries, e => e.Level == LogLevel.Warning
            && e.Message.Contains("The event store does not answer", StringComparison.Ordinal)
            && e.Message.Contains("tries again every 5 s", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Entries, e => e.Level == LogLevel.Critical);
    }
}
