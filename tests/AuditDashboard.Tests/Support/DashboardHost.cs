using Microsoft.Extensions.Logging;

namespace AuditDashboard.Tests.Support;

/// <summary>
/// One running app over a SQLite file of its own, seeded before start with the accounts below, shared by the endpoint
/// and page tests. Fails loudly (in InitializeAsync) when the app cannot start or its feed does not catch up.
/// </summary>
public sealed class DashboardHost : IAsyncLifetime
{
    /// <summary>Five events: opened, +100.00, +250.50, −50.25, frozen. Balance 300.25 EUR at revision 4.</summary>
    public const string Alice = "API-0001";

    /// <summary>Opened with 1,000.00 CHF: revision 1.</summary>
    public const string Bruno = "API-0002";

    /// <summary>Opened only: revision 0.</summary>
    public const string Chloe = "API-0003";

    public const int SeededAccounts = 3;

    private readonly TempFolder _folder = new();
    private DashboardFactory? _factory;

    public DashboardFactory Factory => _factory ?? throw new InvalidOperationException("The app starts in InitializeAsync.");

    /// <summary>The app's own store: events appended here reach the app as any writer's would.</summary>
    public IEventStore Store => Factory.Services.GetRequiredService<IEventStore>();

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await SeedAsync(timeout.Token);

        _factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = _folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",

            // The tests sharing this host sign in far more often from one address than people do; the throttles and
            // the lockout have tests of their own, each on a dashboard of its own.
            ["Auth:Throttle:PerClientAddress"] = "10000",
            ["Auth:Throttle:PerUserName"] = "10000",
            ["Auth:Throttle:ApiKeyFailuresPerClientAddress"] = "10000",
        });

        // Resolving the services starts the host; the feed then reads the seeded ledger in the background.
        var directory = _factory.Services.GetRequiredService<AccountDirectory>();
        try
        {
            while (!directory.IsCaughtUp || directory.Count < SeededAccounts)
            {
                await Task.Delay(20, timeout.Token);
            }
        }
        catch (OperationCanceledException e)
        {
            var problems = _factory.Logs.Entries.Where(l => l.Level >= LogLevel.Warning).Select(l => $"{l.Level} {l.Category}: {l.Message}");
            throw new InvalidOperationException(
                $"The app's ledger feed did not catch up with {SeededAccounts} seeded accounts within a minute. Logged:\n" + string.Join("\n", problems), e);
        }
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

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        // Written by a store of its own before the app starts, as a seeding command would: the app finds it on start.
        await using var store = await Ledger.OpenStoreAsync(_folder, cancellationToken);
        await Ledger.OpenAsync(store, Alice, "Alice Martin", "EUR", 100m, cancellationToken);
        await Ledger.AppendAsync(store, Alice,
        [
            Ledger.Encode(new FundsDeposited(250.50m, "EUR", "SAL-2"), Ledger.By("olivia", "Salary")),
            Ledger.Encode(new FundsWithdrawn(50.25m, "EUR", "RENT-2"), Ledger.By("sam", "Rent")),
            Ledger.Encode(new AccountFrozen(), Ledger.By("carla", "Compliance hold")),
        ],
        cancellationToken);
        await Ledger.OpenAsync(store, Bruno, "Bruno Keller", "CHF", 1000m, cancellationToken);
        await Ledger.OpenAsync(store, Chloe, "Chloé Dubois", "EUR", 0m, cancellationToken);
    }
}
