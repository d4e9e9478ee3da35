using AuditDashboard.Adapters.ReadModels;
using AuditDashboard.Core.Corrections;

namespace AuditDashboard.Adapters.Tests.ReadModels;

/// <summary>
/// The ledger feed across a restart over durable read models: a real SQLite ledger and read-model file. What its read
/// models need from before the directory's checkpoint comes from the read-model file; the ledger is read only after it.
/// </summary>
public sealed class LedgerFeedRestartTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);
    private static readonly DateTimeOffset Effective = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _folder = new();
    private SqliteEventStore _ledger = default!;

    private static CancellationToken TestCancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _ledger = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={_folder.File("audit.db")}")
        {
            CreateIfMissing = true,
            PollInterval = TimeSpan.FromMilliseconds(20),
        });
        await _ledger.InitializeAsync(TestCancellation);
    }

    public async ValueTask DisposeAsync()
    {
        await _ledger.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task ARestart_ReadsOnlyTheEventsAfterTheCheckpoint_AndItsProposalsCommandsAndRecentCorrectionsEqualAFullRead()
    {
        var reversal = Guid.NewGuid();
        var adjustment = Guid.NewGuid();
        var pending = Guid.NewGuid();
        var decided = Guid.NewGuid();
        var approval = Guid.NewGuid();
        await AppendAsync("ACC-1", "teller", new AccountOpened("ACC-1", "Ana Lima", "EUR"), new FundsDeposited(500m, "EUR", "TRX-1"));
        await AppendAsync("ACC-2", "teller", new AccountOpened("ACC-2", "Bea Costa", "EUR"), new FundsDeposited(900m, "EUR", "TRX-2"));
        var deposit = await ReadAsync("ACC-1", 1);
        await AppendAsync("ACC-1", "sam", (reversal, new TransactionReversed(deposit.EventId, 1, 500m, "EUR", Effective)));
        await AppendAsync("ACC-2", "sam", (adjustment, new BalanceCorrected(-40m, "EUR", null, Effective)));
        await AppendAsync("ACC-2", "sara", (pending, new CorrectionProposed(AccountEventTypes.BalanceCorrected, null, null, 7_000m, "EUR", Effective)));
        await AppendAsync("ACC-1", "sara", (decided, new CorrectionProposed(AccountEventTypes.BalanceCorrected, null, null, 8_000m, "EUR", Effective)));
        await AppendAsync("ACC-1", "sam", (approval, new CorrectionApproved(decided, 3)));

        var first = await RunUntilCaughtUpAsync(_ledger);
        var checkpoint = await first.ReadModels.ReadCheckpointAsync(AccountDirectory.ProjectionName, TestCancellation);
        await first.DisposeAsync();
        await AppendAsync("ACC-2", "teller", new FundsWithdrawn(15m, "EUR", "TRX-3"));
        var counting = new CountingEventStore(_ledger);

        await using var restarted = await RunUntilCaughtUpAsync(counting);
        await using var fullRead = await RunUntilCaughtUpAsync(_ledger, readModelFile: "fresh.db");

        // The directory resumes from its checkpoint; the feed from the directory's checkpoint as it reads it (the same,
        // or later when the directory has applied the new event first): neither reads the ledger from its start.
        Assert.NotNull(checkpoint);
        Assert.Equal(2, counting.SubscribedAfter.Count);
        Assert.Contains(checkpoint, counting.SubscribedAfter);
        Assert.All(counting.SubscribedAfter, after => Assert.True(after >= checkpoint, $"A subscription started at {after}, before the checkpoint {checkpoint}."));
        Assert.InRange(counting.Delivered, 1, 2);
        Assert.Equal([pending], restarted.Proposals.Pending().Select(p => p.ProposalId));
        Assert.Equal(fullRead.Proposals.Pending(), restarted.Proposals.Pending());
        Assert.Equal(fullRead.Proposals.Decided(10), restarted.Proposals.Decided(10));
        Assert.Equal("sam", restarted.Proposals.Find(decided)?.DecidedBy);
        foreach (var id in new[] { reversal, adjustment, pending, decided, approval })
            Assert.Equal(await Written(fullRead.Commands, id), await Written(restarted.Commands, id));
        Assert.Equal(("ACC-1", 2L), await Written(restarted.Commands, reversal));
        Assert.Equal(("ACC-1", 4L), await Written(restarted.Commands, approval));
        Assert.Null(await restarted.Commands.FindAsync(deposit.EventId, TestCancellation));
        var since = DateTimeOffset.UtcNow - Window;
        Assert.Equal(540m, restarted.Recent.Total("sam", "EUR", since));
        Assert.Equal(fullRead.Recent.Total("sam", "EUR", since), restarted.Recent.Total("sam", "EUR", since));
        Assert.Equal(40m, restarted.Recent.Total("sam", "EUR", since, exceptAccount: "ACC-1"));
    }

    private static async Task<(string, long)?> Written(CorrectionCommands commands, Guid id) =>
        await commands.FindAsync(id, TestCancellation) is { } written ? (written.AccountId, written.Revision) : null;

    private async Task<RunningFeed> RunUntilCaughtUpAsync(IEventStore ledger, string readModelFile = "readmodels.db")
    {
        var readModels = new SqliteReadModelStore(_folder.File(readModelFile));
        var directory = new AccountDirectory(readModels);
        var running = new RunningFeed(readModels, new CorrectionProposals(), new CorrectionCommands(), new RecentCorrections(TimeProvider.System, Window));
        var feed = new LedgerFeed(ledger, TimeProvider.System, directory, new AccountTimelines(ledger), running.Proposals, running.Commands, running.Recent);
        running.Start(feed);
        await Eventually.UntilAsync(() => directory.IsCaughtUp, "the directory and the feed to catch up", Patience, TestCancellation);
        return running;
    }

    private sealed class RunningFeed(SqliteReadModelStore readModels, CorrectionProposals proposals, CorrectionCommands commands, RecentCorrections recent) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _running = Task.CompletedTask;

        public SqliteReadModelStore ReadModels => readModels;

        public CorrectionProposals Proposals => proposals;

        public CorrectionCommands Commands => commands;

        public RecentCorrections Recent => recent;

        public void Start(LedgerFeed feed) => _running = feed.RunAsync(TimeSpan.FromMilliseconds(50), _stop.Token);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _running;
            _stop.Dispose();
            await readModels.DisposeAsync();
        }
    }

    private async Task<RecordedEvent> ReadAsync(string accountId, long revision) =>
        await _ledger.ReadStreamAsync(AccountIds.StreamOf(accountId), Direction.Forwards, revision, 1, TestCancellation).SingleAsync(TestCancellation);

    private Task AppendAsync(string accountId, string actor, params AccountEvent[] events) =>
        AppendAsync(accountId, actor, [.. events.Select(e => (Guid.NewGuid(), e))]);

    private async Task AppendAsync(string accountId, string actor, params (Guid Id, AccountEvent Event)[] events)
    {
        var metadata = new EventMetadata(actor, "Restart test", "corr-1", null, "tests");
        await _ledger.AppendAsync(
            AccountIds.StreamOf(accountId), ExpectedRevision.Any, [.. events.Select(e => AccountEventCodec.Encode(e.Id, e.Event, metadata))], TestCancellation);
    }
}
