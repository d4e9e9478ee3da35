using Microsoft.Extensions.Logging;

namespace AuditDashboard.Tests.Support;

/// <summary>
/// Starting the in-memory app in a test, and the check every "a bad setting stops start-up" test makes: the start fails,
/// the start-up guard logs one critical "The configuration is not valid: …" naming the setting, and no store file is made.
/// </summary>
internal static class StartupChecks
{
    /// <summary>The first use of the factory's services builds and starts the host; off the test thread so the timeout holds.</summary>
    public static Task<IServiceProvider> StartAsync(WebApplicationFactory<Program> factory, CancellationToken cancellationToken) =>
        Task.Run(() => factory.Services, cancellationToken);

    public static async Task AssertStartUpStopsAsync(TempFolder folder, string key, string value, string expectedReport, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            [key] = value,
        };
        var factory = new DashboardFactory(settings);

        var failure = await Record.ExceptionAsync(() => StartAsync(factory, cancellationToken));
        await CriticalReportAsync(factory.Logs, cancellationToken);

        Assert.NotNull(failure);
        var report = Assert.Single(factory.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.StartsWith("The configuration is not valid: ", report.Message, StringComparison.Ordinal);
        Assert.Contains(expectedReport, report.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.DatabasePath));
        await DisposeAfterFailedStartAsync(factory);
    }

    /// <summary>
    /// Starts <paramref name="app"/> (made from <paramref name="owner"/>, whose logs it shares), expects the start to fail,
    /// and returns the start-up guard's single critical report, which must name <paramref name="path"/>.
    /// </summary>
    public static async Task<CapturedLogs.LogEntry> AssertStartUpRefusedAsync(
        DashboardFactory owner, WebApplicationFactory<Program> app, string path, CancellationToken cancellationToken)
    {
        var failure = await Record.ExceptionAsync(() => StartAsync(app, cancellationToken));

        Assert.NotNull(failure);
        var report = Assert.Single(owner.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.StartsWith("The event store is not usable: ", report.Message, StringComparison.Ordinal);
        Assert.Contains($"'{path}'", report.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', report.Message);
        await DisposeAfterFailedStartAsync(app);
        return report;
    }

    /// <summary>
    /// Waits up to 5 s for the start-up guard's critical report: the program logs it on its own thread, which can finish a
    /// moment after the failed start reached the test.
    /// </summary>
    private static Task CriticalReportAsync(CapturedLogs logs, CancellationToken cancellationToken) =>
        Eventually.UntilAsync(() => logs.Entries.Any(e => e.Level == LogLevel.Critical), "the start-up guard's critical report", TimeSpan.FromSeconds(5), cancellationToken);

    public static async Task DisposeAfterFailedStartAsync(WebApplicationFactory<Program> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        try
        {
            await factory.DisposeAsync();
        }
        catch (ArgumentNullException)
        {
            // The app already disposed the host whose start failed; stopping it again fails inside Host.StopAsync.
        }
    }
}
