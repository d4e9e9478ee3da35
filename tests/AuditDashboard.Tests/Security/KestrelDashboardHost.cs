using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace AuditDashboard.Tests.Security;

/// <summary>
/// The real app on Kestrel, listening on a free loopback port, over a SQLite file of its own: for what only a real server
/// does, such as refusing a request body while it is read. Seeded before start with <see cref="Account"/>.
/// </summary>
public sealed class KestrelDashboardHost : IAsyncLifetime
{
    /// <summary>Opened, +50,000.00 EUR, the same deposit again (so a reversal needs approval): revision 2.</summary>
    public const string Account = "LIM-0001";

    public const long SeededRevision = 2;

    private readonly TempFolder _folder = new();
    private DashboardFactory? _factory;

    public DashboardFactory Factory => _factory ?? throw new InvalidOperationException("The app starts in InitializeAsync.");

    /// <summary>Where Kestrel listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The deposit recorded twice, at revision 2.</summary>
    public Guid Duplicate { get; private set; }

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using (var store = await Ledger.OpenStoreAsync(_folder, timeout.Token))
        {
            var events = new[]
            {
                Ledger.Encode(new AccountOpened(Account, "Lina Limit", "EUR"), Ledger.By("olivia", "Customer onboarding")),
                Ledger.Encode(new FundsDeposited(50_000m, "EUR", "TRX-1"), Ledger.By("olivia", "Deposit")),
                Ledger.Encode(new FundsDeposited(50_000m, "EUR", "TRX-1"), Ledger.By("olivia", "Deposit")),
            };
            await Ledger.AppendAsync(store, Account, events, timeout.Token);
            Duplicate = events[2].EventId;
        }

        _factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = _folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            ["Kafka:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        _factory.UseKestrel(0);
        await Task.Run(_factory.StartServer, timeout.Token);
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        BaseAddress = new Uri(addresses.First());

        var directory = _factory.Services.GetRequiredService<AccountDirectory>();
        await Eventually.UntilAsync(() => directory.IsCaughtUp && directory.Count >= 1, "the ledger feed to catch up with the seeded account", Ledger.Patience, timeout.Token);
    }

    /// <summary>A client of the Kestrel server (not an in-memory one), with an API key when given.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (apiKey is not null)
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
            await _factory.DisposeAsync();
        _folder.Dispose();
    }
}
