using AuditDashboard.Core.Integrity;
using AuditDashboard.Integrity;

namespace AuditDashboard.Tests.Integrity;

/// <summary>
/// The real app over a SQLite file of its own, sealing every two events and copying seals to a file sink, with a seeded ledger
/// already sealed when <see cref="InitializeAsync"/> returns.
/// </summary>
public class SealedDashboard : IAsyncLifetime
{
    public const string Account = "PRF-0001";

    /// <summary>Opened with 5.00 CHF (two events), after <see cref="Account"/>'s seven.</summary>
    public const string OtherAccount = "PRF-0002";

    private readonly TempFolder _folder = new();
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private DashboardFactory? _factory;

    public SealedDashboard()
        : this(new Dictionary<string, string?> { ["Integrity:Seal:EveryEvents"] = "2" })
    {
    }

    /// <param name="settings">The sealer's schedule and any other settings, laid over the fixture's own.</param>
    protected SealedDashboard(IReadOnlyDictionary<string, string?> settings) => _settings = settings;

    public DashboardFactory Factory => _factory ?? throw new InvalidOperationException("The app starts in InitializeAsync.");

    public LedgerIntegrity Integrity => Factory.Services.GetRequiredService<LedgerIntegrity>();

    public string SealFile => Path.Combine(_folder.Path, "seals.jsonl");

    public string FolderPath => _folder.Path;

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using (var store = await Ledger.OpenStoreAsync(_folder, timeout.Token))
        {
            await Ledger.OpenAsync(store, Account, "Proof Owner", "EUR", 100m, timeout.Token);
            for (var i = 0; i < 6; i++)
                await Ledger.AppendAsync(store, Account, [Ledger.Encode(new FundsDeposited(10m + i, "EUR", $"P-{i}"), Ledger.By("olivia", "Deposit"))], timeout.Token);
            await Ledger.OpenAsync(store, OtherAccount, "Other Owner", "CHF", 5m, timeout.Token);
        }

        var settings = new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = _folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            ["Kafka:Enabled"] = "false",
            ["Integrity:Seal:Sinks:File:Path"] = SealFile,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in _settings)
            settings[key] = value;
        _factory = new DashboardFactory(settings);
        await WaitUntilSealedAsync(10, timeout.Token);
    }

    /// <summary>Waits until the latest seal covers <paramref name="leaves"/> leaves.</summary>
    public Task WaitUntilSealedAsync(long leaves, CancellationToken cancellationToken)
    {
        var integrity = Integrity;
        return Eventually.UntilAsync(
            () => integrity.LastSeal?.TreeSize >= leaves, $"a seal over {leaves} leaves", Ledger.Patience, cancellationToken, () => $"last seal {integrity.LastSeal}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
            await _factory.DisposeAsync();
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }
}
