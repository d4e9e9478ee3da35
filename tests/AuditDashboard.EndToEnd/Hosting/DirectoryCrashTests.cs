using System.Text;
using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Adapters.ReadModels;
using AuditDashboard.Core.ReadModels;

namespace AuditDashboard.EndToEnd.Hosting;

/// <summary>
/// The dashboard is killed with SIGKILL while another writer appends and the account directory's projection applies
/// batches, then started again: once it has caught up, its read models equal a rebuild from nothing, and no event was
/// applied twice (each account's event count is its stream's length).
/// </summary>
public sealed class DirectoryCrashTests(ITestOutputHelper output)
{
    private const int Accounts = 16;
    private static readonly TimeSpan CatchUpBound = TimeSpan.FromSeconds(60);
    private static readonly EventMetadata Meta = new("crash-test", "load", "crash", null, "tests");

    [Fact(Timeout = 240_000)]
    public async Task KilledWhileApplying_AndRestarted_TheDirectoryAndTheKeptCommandEventsEqualARebuild_AndAppliedNothingTwice()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var app = new AppProcess
        {
            SeedDemoData = false,
            Settings = new Dictionary<string, string> { ["Kafka__Enabled"] = "false", ["ReadModels__BatchSize"] = "25" },
        };
        await app.InitializeAsync();
        await using var writer = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={app.DatabasePath}"));
        await writer.InitializeAsync(cancellation);
        var revisions = new long?[Accounts];
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var writing = WriteAsync(writer, revisions, stopWriting.Token);

        await Task.Delay(TimeSpan.FromSeconds(2), cancellation);
        await app.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
        await stopWriting.CancelAsync();
        var written = await writing;
        await app.StartAsync();
        var head = await HeadAsync(writer, cancellation);
        var readModels = Path.Combine(Path.GetDirectoryName(app.DatabasePath)!, "readmodels.db");
        await using var running = new SqliteReadModelStore(readModels);
        await WaitForCheckpointAsync(running, head, cancellation);
        var afterCrash = await RowsAsync(running, cancellation);
        var keptAfterCrash = await CommandEventsAsync(running, cancellation);
        await using var fresh = new SqliteReadModelStore(Path.Combine(Path.GetDirectoryName(app.DatabasePath)!, "rebuilt.db"));
        var rebuild = new AccountDirectory(fresh);
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
        {
            var following = rebuild.FollowAsync(writer, TimeProvider.System, TimeSpan.FromMilliseconds(100), stop.Token);
            await rebuild.ProjectionCaughtUp.WaitAsync(CatchUpBound, cancellation);
            await stop.CancelAsync();
            await following;
        }

        output.WriteLine($"{written} events written by the second writer; the ledger's head is {head}.");
        Assert.Equal(Accounts, afterCrash.Count);
        Assert.Equal(await RowsAsync(fresh, cancellation), afterCrash);
        Assert.NotEmpty(keptAfterCrash);
        Assert.Equal(await CommandEventsAsync(fresh, cancellation), keptAfterCrash);
        foreach (var account in afterCrash)
        {
            var last = revisions[int.Parse(account.AccountId[^2..], System.Globalization.CultureInfo.InvariantCulture)];
            Assert.Equal(last, account.Revision);
            Assert.Equal(last + 1, account.EventCount);
        }
    }

    private static async Task<int> WriteAsync(SqliteEventStore writer, long?[] revisions, CancellationToken cancellationToken)
    {
        var written = 0;
        var round = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                round++;
                for (var a = 0; a < Accounts; a++)
                {
                    var id = $"CRASH-{a:D2}";
                    var events = new List<EventData>();
                    if (revisions[a] is null)
                        events.Add(AccountEventCodec.Encode(Guid.NewGuid(), new AccountOpened(id, $"Owner {a}", "EUR"), Meta));
                    events.AddRange(Enumerable.Range(0, 3).Select(i => AccountEventCodec.Encode(Guid.NewGuid(), new FundsDeposited(1m + i, "EUR", null), Meta)));
                    if (round % 4 == 0)
                        events.Add(AccountEventCodec.Encode(Guid.NewGuid(), new BalanceCorrected(-1m, "EUR", null, DateTimeOffset.UtcNow), Meta));
                    var result = await writer.AppendAsync(AccountIds.StreamOf(id), ExpectedRevision.Of(revisions[a]), events, CancellationToken.None);
                    revisions[a] = result.NextExpectedRevision;
                    written += events.Count;
                }

                await Task.Delay(5, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return written;
    }

    private static async Task<long> HeadAsync(SqliteEventStore store, CancellationToken cancellationToken)
    {
        await foreach (var last in store.ReadAllAsync(Direction.Backwards, AllPosition.End, 1, AccountIds.StreamPrefix, cancellationToken))
            return last.Position;
        throw new InvalidOperationException("The ledger holds no account event.");
    }

    private static async Task WaitForCheckpointAsync(SqliteReadModelStore store, long head, CancellationToken cancellationToken)
    {
        await store.OpenAsync(null, cancellationToken);
        await Eventually.UntilAsync(
            async ct => await store.ReadCheckpointAsync(AccountDirectory.ProjectionName, ct) == head,
            $"the account directory's checkpoint at position {head}",
            CatchUpBound,
            cancellationToken);
    }

    // The events commands wrote, kept whole: compared by position, id and payload.
    private static async Task<List<(long, Guid, string)>> CommandEventsAsync(SqliteReadModelStore store, CancellationToken cancellationToken)
    {
        await store.OpenAsync(null, cancellationToken);
        var kept = await store.ReadCommandEventsAsync(AccountEventTypes.Commands, long.MaxValue, null, cancellationToken);
        return [.. kept.Select(e => (e.Position, e.EventId, Encoding.UTF8.GetString(e.Data.Span)))];
    }

    private static async Task<List<AccountState>> RowsAsync(SqliteReadModelStore store, CancellationToken cancellationToken)
    {
        await store.OpenAsync(null, cancellationToken);
        return [.. (await store.SearchAccountsAsync(new AccountQuery(null, Take: 500), cancellationToken)).Items];
    }
}
