namespace AuditDashboard.Tests.Support;

/// <summary>
/// A dashboard of one test's own, over an empty ledger and with the given settings laid over the development
/// ones: for tests whose sign-ins would disturb the shared host (a spent per-address budget, a locked-out user name, a
/// short session lifetime). The mirror is off, so it starts in a second or two.
/// </summary>
public sealed class OwnDashboard : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private DashboardFactory? _factory;

    private OwnDashboard()
    {
    }

    public DashboardFactory Factory => _factory ?? throw new InvalidOperationException("The app starts in StartAsync.");

    public static Task<OwnDashboard> StartAsync(IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken) =>
        StartAsync(settings, clock: null, cancellationToken);

    /// <summary>Starts a dashboard whose <see cref="TimeProvider"/> is <paramref name="clock"/> (when not null), so a test can move its time.</summary>
    public static async Task<OwnDashboard> StartAsync(IReadOnlyDictionary<string, string?> settings, TimeProvider? clock, CancellationToken cancellationToken)
    {
        var dashboard = new OwnDashboard();
        var all = new Dictionary<string, string?>(settings)
        {
            ["EventStore:ConnectionString"] = dashboard._folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            ["Kafka:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        dashboard._factory = new DashboardFactory(all, clock);
        await StartupChecks.StartAsync(dashboard._factory, cancellationToken);
        return dashboard;
    }

    public HttpClient CreateClient(string? apiKey = null) => Factory.CreateApiClient(apiKey);

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        _folder.Dispose();
    }
}
