using AuditDashboard.Adapters.Embedded;


namespace AuditDashboard.Tests.Components;

/// <summary>
/// A real SQLite ledger in a temp folder, seeded once for a test class, with the read models the components inject:
/// the account directory, filled by running the real ledger feed until it has caught up, and the timeline cache.
/// </summary>
public abstract class LedgerFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private SqliteEventStore? _store;

    public IEventStore Store => _store ?? throw new InvalidOperationException("The store is opened in InitializeAsync.");

    public AccountDirectory Directory { get; } = new();

    public AccountTimelines Timelines { get; private set; } = default!;

    public AuditDashboard.Core.Corrections.CorrectionProposals Proposals { get; } = new();

    /// <summary>The feed that filled the read models; stopped once they caught up.</summary>
    public LedgerFeed Feed { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _store = await Ledger.OpenStoreAsync(_folder, timeout.Token);
        await SeedAsync(_store, timeout.Token);
        Timelines = new AccountTimelines(_store);
        await FeedUntilCaughtUpAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _folder.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Writes the class's accounts; runs once, before the feed starts.</summary>
    protected abstract Task SeedAsync(IEventStore store, CancellationToken cancellationToken);

    private async Task FeedUntilCaughtUpAsync(CancellationToken cancellationToken)
    {
        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Directory.CaughtUp += (_, _) => caughtUp.TrySetResult();
        var feed = Feed = new LedgerFeed(Store, TimeProvider.System, Directory, Timelines, Proposals);
        using var stopFeed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = feed.RunAsync(TimeSpan.FromMilliseconds(100), stopFeed.Token);
        try
        {
            await caughtUp.Task.WaitAsync(Ledger.Patience * 3, cancellationToken);
        }
        finally
        {
            await stopFeed.CancelAsync();
            await running;
        }

        if (feed.LastError is { } error)
        {
            throw new InvalidOperationException("The ledger feed failed while catching up.", error);
        }
    }
}
