using AuditDashboard.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AuditDashboard.Tests.Endpoints;

/// <summary>
/// A bad setting stops the app at start-up with a message naming the setting. The app's start-up guard reports such a
/// failure (a critical log entry and standard error, exit code 1) instead of letting the exception escape, so an
/// in-process host sees only that the start failed; the test reads the message where an operator would: in the log.
/// </summary>
public sealed class StartupValidationTests : IDisposable
{
    private readonly TempLedgerFolder _folder = new();

    public static TheoryData<string, string, string> BadSettings { get; } = new()
    {
        { "EventStore:Provider", "Nope", "Failed to convert configuration value 'Nope' at 'EventStore:Provider'" },
        { "EventStore:ConnectionString", "", "EventStore:ConnectionString is required." },
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(BadSettings))]
    public async Task ABadSetting_StopsStartUp_WithAReportNamingTheSetting(string key, string value, string expectedReport)
    {
        var settings = new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = _folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            [key] = value,
        };
        var factory = new DashboardFactory(settings);

        var failure = await Record.ExceptionAsync(() => StartAsync(factory, TestContext.Current.CancellationToken));

        Assert.NotNull(failure);
        var report = Assert.Single(factory.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.StartsWith("The configuration is not valid: ", report.Message, StringComparison.Ordinal);
        Assert.Contains(expectedReport, report.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.DatabasePath));
        await DisposeAfterFailedStartAsync(factory);
    }

    public void Dispose() => _folder.Dispose();

    // The first use of the factory's services builds and starts the host; off the test thread so the timeout holds.
    private static Task<IServiceProvider> StartAsync(DashboardFactory factory, CancellationToken cancellationToken) =>
        Task.Run(() => factory.Services, cancellationToken);

    private static async Task DisposeAfterFailedStartAsync(DashboardFactory factory)
    {
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
