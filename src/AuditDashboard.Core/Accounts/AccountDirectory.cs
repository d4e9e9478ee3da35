using System.Threading.Channels;
using AuditDashboard.Core.Live;
using AuditDashboard.Core.ReadModels;
using AuditDashboard.Core.Search;


namespace AuditDashboard.Core.Accounts;

/// <summary>
/// Every account's current state: the read model behind search and the accounts list, so listing never folds a stream.
/// A projection of <c>$all</c> kept in a read-model store: it resumes from its checkpoint at each start (the ledger is
/// read only from there), and applies events in batches whose rows and checkpoint are written in one transaction. The
/// same transactions fill the event index (every account event, with what it was once folded: searched across accounts)
/// and keep the events commands wrote whole (the ledger feed loads its read models from them at a start).
/// </summary>
// The semaphore serializing writes never exposes its wait handle, so it holds nothing that needs disposing.
#pragma warning disable CA1001
public sealed class AccountDirectory
#pragma warning restore CA1001
{
    /// <summary>The projection's name, under which its checkpoint is kept.</summary>
    public const string ProjectionName = "accounts";

    /// <summary>Events applied per transaction while catching up; live events are applied as they come.</summary>
    public const int DefaultBatchSize = 20_000;

    /// <summary>
    /// Every how many events of an account its state is kept as a mark, where a replay starts folding: a replay then
    /// reads and folds at most this many events, and the marks cost one row per this many events.
    /// </summary>
    public const int DefaultMarkInterval = 1_000;

    private readonly IReadModelStore _store;
    private readonly int _batchSize;
    private readonly int _markInterval;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ChangeSubscribers _subscribers = new();
    private readonly TaskCompletionSource _projectionCaughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _followGate = new();
    private Task? _following;
    private ReadModelOpening? _opening;
    private volatile bool _caughtUp;
    private volatile ProjectionProgress _progress = ProjectionProgress.NotStarted;
    private volatile Exception? _lastError;
    private int _count;
    private long _eventsApplied;

    // The states of the accounts the last batches wrote, as committed: a batch over many accounts need not read each
    // one back from the store. Kept by the writer (under _writeGate); emptied when it grows past its bound, when a batch
    // fails, and when the store is opened.
    private readonly Dictionary<string, AccountState> _written = new(StringComparer.Ordinal);

    /// <summary>While catching up, how long after the first event held the next ones are waited for before the held ones are applied.</summary>
    public static readonly TimeSpan CatchUpPause = TimeSpan.FromMilliseconds(100);

    /// <summary>How many account states the directory keeps between batches (a few hundred bytes each).</summary>
    public const int WrittenStatesKept = 250_000;

    /// <summary>
    /// While catching up, batches share one transaction for this long: an account's row is written once a transaction,
    /// and over many accounts a batch changes almost every row it holds (100,000 accounts: a batch of 20,000 events
    /// changes 16,400 rows; five seconds of a first build, some 700,000 events, change each row about once). A crash
    /// loses at most this much work: the transaction's rows and checkpoint are committed together, as every batch's are.
    /// </summary>
    public static readonly TimeSpan CatchUpCommitEvery = TimeSpan.FromSeconds(5);

    /// <summary>A catch-up transaction is committed before it holds more account states than this (a few hundred bytes each).</summary>
    public const int CatchUpStatesHeld = 100_000;

    // The transaction a catch-up keeps open across batches, with the states of the accounts it changed (written at its
    // commit). Kept by the writer (under _writeGate).
    private CatchUpTransaction? _open;
    private readonly Batch _batch = new();

    /// <summary>A directory held in memory only: for tests and tools.</summary>
    public AccountDirectory()
        : this(new InMemoryReadModelStore())
    {
    }

    public AccountDirectory(IReadModelStore store, int batchSize = DefaultBatchSize, int markInterval = DefaultMarkInterval)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(markInterval, 1);
        _store = store;
        _batchSize = batchSize;
        _markInterval = markInterval;
    }

    public IReadModelStore Store => _store;

    /// <summary>Every how many events of an account a mark is kept (see <see cref="DefaultMarkInterval"/>).</summary>
    public int MarkInterval => _markInterval;

    /// <summary>True once the directory and the ledger feed have delivered everything stored when they started.</summary>
    public bool IsCaughtUp => _caughtUp;

    /// <summary>
    /// True once the directory's own projection has applied everything stored when it started: every account's marks and
    /// the event index are complete, so a long account can be read a window at a time (the ledger feed may still be
    /// reading; see <see cref="IsCaughtUp"/>).
    /// </summary>
    public bool ProjectionIsCaughtUp => _progress.IsCaughtUp;

    /// <summary>How many accounts the directory holds.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>How far the projection has come since this start; what readiness and the pages report while it builds.</summary>
    public ProjectionProgress Progress => _progress;

    /// <summary>Completes once the projection has applied everything stored when it started.</summary>
    public Task ProjectionCaughtUp => _projectionCaughtUp.Task;

    /// <summary>The last failure of the projection's subscription, cleared when it delivers again.</summary>
    public Exception? LastError => _lastError;

    /// <summary>Raised after an account changed, with its new state (once caught up).</summary>
    public event EventHandler<AccountState>? Changed;

    /// <summary>Raised once the directory holds every account that existed when the feed started.</summary>
    public event EventHandler? CaughtUp;

    /// <summary>
    /// Calls <paramref name="onChange"/> after any account changed, also while the projection is still catching up (so a
    /// page can show how far it got: after each batch, with its progress), and once it has caught up; until disposed.
    /// </summary>
    public IDisposable Subscribe(Func<Task> onChange) => _subscribers.Subscribe(onChange);

    public Task<AccountState?> FindAsync(string accountId, CancellationToken cancellationToken = default) =>
        _store.FindAccountAsync(accountId, cancellationToken);

    /// <summary>The account, or null. Synchronous: both adapters answer without waiting; prefer <see cref="FindAsync"/>.</summary>
    public AccountState? Find(string accountId) => FindAsync(accountId).GetAwaiter().GetResult();

    public Task<AccountPage> SearchAsync(AccountQuery query, CancellationToken cancellationToken = default) =>
        _store.SearchAccountsAsync(query, cancellationToken);

    /// <summary>
    /// Accounts whose id or owner contains <paramref name="search"/> (a term under three characters: whose id starts with
    /// it), ignoring case, ordered by id. Synchronous: both adapters answer without waiting; prefer <see cref="SearchAsync"/>.
    /// </summary>
    public AccountPage Search(string? search, int skip, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        return SearchAsync(new AccountQuery(search, Skip: skip, Take: take)).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Opens the read-model store for the ledger <paramref name="ledger"/> (whose first event identifies it, so read
    /// models of another ledger are thrown away), once.
    /// </summary>
    public async Task<ReadModelOpening> OpenAsync(IEventStore ledger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            if (_opening is { } opened)
                return opened;
            string? identity = null;
            await foreach (var first in ledger.ReadAllAsync(Direction.Forwards, AllPosition.Start, 1, null, cancellationToken))
                identity = first.EventId.ToString("N");
            _written.Clear();
            var opening = await _store.OpenAsync(identity, cancellationToken);
            Volatile.Write(ref _count, await _store.CountAccountsAsync(cancellationToken));
            _opening = opening;
            return opening;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Runs the projection until cancelled: from its checkpoint, every account event in batches, then live events as they
    /// are appended; after a store failure it waits <paramref name="retryDelay"/> (on <paramref name="time"/>, which also
    /// times its progress) and resumes from the last checkpoint. One projection a directory: a call while another runs
    /// subscribes no second time; it waits for the running one until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public Task FollowAsync(IEventStore ledger, TimeProvider time, TimeSpan retryDelay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(time);
        lock (_followGate)
        {
            if (_following is { IsCompleted: false } running)
                return JoinAsync(running, cancellationToken);
            return _following = ProjectAsync(ledger, time, retryDelay, cancellationToken);
        }
    }

    private static async Task JoinAsync(Task running, CancellationToken cancellationToken)
    {
        try
        {
            await running.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ProjectAsync(IEventStore ledger, TimeProvider time, TimeSpan retryDelay, CancellationToken cancellationToken)
    {
        // The embedded stores answer without waiting: without this, the caller (a host starting its services) would
        // wait for the whole catch-up before its next line.
        await Task.Yield();
        var elapsed = new Elapsed(time, time.GetTimestamp());
        var measured = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await OpenAsync(ledger, cancellationToken);
                var checkpoint = await _store.ReadCheckpointAsync(ProjectionName, cancellationToken);
                if (!measured)
                {
                    long? head = null;
                    await foreach (var last in ledger.ReadAllAsync(Direction.Backwards, AllPosition.End, 1, AccountIds.StreamPrefix, cancellationToken))
                        head = last.Position;
                    _progress = new ProjectionProgress(checkpoint, head, checkpoint, 0, TimeSpan.Zero, false);
                    measured = true;
                }

                await ApplySubscriptionAsync(ledger, checkpoint, elapsed, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The projection must outlive any store failure; the error is surfaced through LastError.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _lastError = ex;
            }

            try
            {
                await Task.Delay(retryDelay, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Applies account events in one transaction: each account's new row and the projection's checkpoint (the last
    /// position in <paramref name="records"/>). An event at or below the revision an account already holds is ignored.
    /// Returns the accounts that changed, and tells the subscribers when any did.
    /// </summary>
    public async Task<IReadOnlyCollection<AccountState>> ApplyAsync(IReadOnlyList<RecordedEvent> records, CancellationToken cancellationToken = default)
    {
        var changed = new List<AccountState>();
        await ApplyBatchAsync(records, cancellationToken, changed: changed);
        if (changed.Count > 0)
            _subscribers.Notify();
        return changed;
    }

    /// <summary>Says that everything stored at start has been delivered: by the directory's own projection and the ledger feed.</summary>
    public void MarkCaughtUp()
    {
        if (_caughtUp)
            return;
        _caughtUp = true;
        CaughtUp?.Invoke(this, EventArgs.Empty);
        _subscribers.Notify();
    }

    // Applies records, in the catch-up transaction while catching up (kept open unless it has held enough), else in one
    // transaction; returns how many accounts changed, and adds their new states to changed when given.
    private async Task<int> ApplyBatchAsync(
        IReadOnlyList<RecordedEvent> records, CancellationToken cancellationToken, Elapsed? catchingUp = null, List<AccountState>? changed = null, IReadOnlyList<DecodedEvent>? decoded = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0 && _open is null)
            return 0;

        var created = 0;
        var changedCount = 0;
        AccountState[] told = [];
        await _writeGate.WaitAsync(cancellationToken);
        var open = _open;
        _open = null;
        // The batch's lists are kept between batches: at 20,000 events they are large objects, whose every allocation
        // brings the next full garbage collection nearer.
        var batch = _batch;
        batch.Clear();
        try
        {
            open ??= new CatchUpTransaction(await _store.BeginAsync(cancellationToken), catchingUp?.Time.GetTimestamp() ?? 0);
            var transaction = open.Transaction;
            var (marks, indexed, kept) = (batch.Marks, batch.Indexed, batch.Kept);
            for (var i = 0; i < records.Count; i++)
            {
                var record = records[i];
                open.Checkpoint = Math.Max(open.Checkpoint ?? record.Position, record.Position);
                if (!AccountIds.TryFromStream(record.StreamId, out var accountId) || !AccountIds.IsValid(accountId))
                    continue;
                if (!open.Unwritten.TryGetValue(accountId, out var before) && !_written.TryGetValue(accountId, out before))
                {
                    before = await transaction.FindAccountAsync(accountId, cancellationToken) ?? AccountState.Initial(accountId);
                    if (before.Revision is null)
                        open.Created++;
                }

                // A redelivered or older event is ignored: the subscription delivers each event once, in order.
                if (before.Revision is { } seen && record.Revision <= seen)
                    continue;
                var entry = decoded is null ? TimelineEntry.Next(before, record) : TimelineEntry.Next(before, record, decoded[i]);
                var after = entry.StateAfter;
                open.Unwritten[accountId] = after;
                batch.Changed[accountId] = after;
                indexed.Add(IndexedEvent.From(accountId, entry));
                if (AccountEventTypes.IsCommand(record.EventType))
                    kept.Add(record);
                if (after.EventCount % _markInterval == 0)
                    marks.Add(after);
            }

            // The event index, the marks and the commands' events only grow: they are written as they come. An account's
            // row is written once a transaction, with the state its last event left.
            if (marks.Count > 0)
                await transaction.PutMarksAsync(marks, cancellationToken);
            if (indexed.Count > 0)
                await transaction.PutEventsAsync(indexed, cancellationToken);
            if (kept.Count > 0)
                await transaction.PutCommandEventsAsync(kept, cancellationToken);
            if (catchingUp is { } time && open.Unwritten.Count < CatchUpStatesHeld && time.Time.GetElapsedTime(open.Began) < CatchUpCommitEvery)
            {
                open.Events += records.Count;
                _open = open;
                open = null;
                return batch.Changed.Count;
            }

            await CommitAsync(open, cancellationToken);
            created = open.Created;
            changedCount = batch.Changed.Count;
            if (changed is not null || _caughtUp || _progress.IsCaughtUp)
                told = [.. batch.Changed.Values];
        }
        catch
        {
            // Whether the store kept any of the batch is not known: the next batches read the accounts back from it.
            _written.Clear();
            if (open is not null)
                Interlocked.Add(ref _eventsApplied, -open.Events);
            throw;
        }
        finally
        {
            if (open is not null)
                await open.Transaction.DisposeAsync();
            _writeGate.Release();
        }

        // Once the projection has caught up, every change is told (pages read long accounts from it from then on), even
        // while the ledger feed still reads what was stored at start.
        Interlocked.Add(ref _count, created);
        changed?.AddRange(told);
        if (_caughtUp || _progress.IsCaughtUp)
        {
            foreach (var state in told)
                Changed?.Invoke(this, state);
        }

        return changedCount;
    }

    // Writes a transaction's account rows and checkpoint, and commits it; the states written are kept for the next batches.
    private async Task CommitAsync(CatchUpTransaction open, CancellationToken cancellationToken)
    {
        var transaction = open.Transaction;
        if (open.Unwritten.Count > 0)
            await transaction.PutAccountsAsync(open.Unwritten.Values, cancellationToken);
        if (open.Checkpoint is { } checkpoint)
            await transaction.SetCheckpointAsync(ProjectionName, checkpoint, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (_written.Count + open.Unwritten.Count > WrittenStatesKept)
            _written.Clear();
        foreach (var (accountId, state) in open.Unwritten)
            _written[accountId] = state;
    }

    // Commits the catch-up transaction left open when the projection stops (cancelled, or the ledger failed): it holds
    // only batches applied whole (a batch that fails is rolled back with it). When the commit fails too, it is rolled
    // back, and its events are read again from the last checkpoint.
    private async Task CloseOpenAsync()
    {
        await _writeGate.WaitAsync(CancellationToken.None);
        try
        {
            if (_open is not { } open)
                return;
            _open = null;
            try
            {
                await CommitAsync(open, CancellationToken.None);
                Interlocked.Add(ref _count, open.Created);
                return;
            }
#pragma warning disable CA1031 // A store that cannot commit is reported like any other failure of the projection.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _lastError = ex;
                _written.Clear();
            }
            finally
            {
                await open.Transaction.DisposeAsync();
            }

            Interlocked.Add(ref _eventsApplied, -open.Events);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task ApplySubscriptionAsync(IEventStore ledger, long? checkpoint, Elapsed elapsed, CancellationToken cancellationToken)
    {
        // The store is read ahead while a batch is applied, so reading and writing each have a core.
        var arrived = Channel.CreateBounded<Arrival>(new BoundedChannelOptions(2 * _batchSize) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = ReadAheadAsync(ledger, checkpoint, arrived.Writer, stop.Token);
        try
        {
            await ApplyArrivingAsync(arrived.Reader, elapsed, cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await reading;
            await CloseOpenAsync();
        }
    }

    // Hands the store's messages over until it ends or fails; the failure reaches the reader. Each event's data is decoded
    // here, on the reader's core: it is most of what folding an event costs, and the writer's core is the busier one.
    private static async Task ReadAheadAsync(IEventStore ledger, long? checkpoint, ChannelWriter<Arrival> arrived, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in ledger.SubscribeToAllAsync(checkpoint, AccountIds.StreamPrefix, cancellationToken))
            {
                var decoded = message is SubscriptionMessage.EventAppeared { Record: var record } ? AccountEventCodec.Decode(record) : null;
                await arrived.WriteAsync(new Arrival(message, decoded), cancellationToken);
            }

            arrived.TryComplete();
        }
        catch (Exception ex)
        {
            arrived.TryComplete(ex);
        }
    }

    private async Task ApplyArrivingAsync(ChannelReader<Arrival> arrived, Elapsed elapsed, CancellationToken cancellationToken)
    {
        var pending = new Pending(_batchSize);
        var pendingSince = 0L;
        while (true)
        {
            // Apply what has arrived before waiting for more: once caught up, a batch is what the store has handed over,
            // up to the batch size, and a live event is applied as soon as it comes. While catching up the next events
            // are waited for, up to a moment after the first event held, so batches are full: each commit rewrites every
            // page its accounts' rows lie on, and over many accounts small batches write the same pages again and again.
            if (!arrived.TryRead(out var arrival))
            {
                if (pending.Count > 0)
                {
                    var left = CatchUpPause - elapsed.Time.GetElapsedTime(pendingSince);
                    if (_progress.IsCaughtUp || left <= TimeSpan.Zero
                        || !await ArrivesWithinAsync(arrived.WaitToReadAsync(cancellationToken).AsTask(), left, elapsed.Time, cancellationToken))
                        await FlushAsync(pending, elapsed, cancellationToken);
                }

                if (!await arrived.WaitToReadAsync(cancellationToken))
                    return;
                continue;
            }

            _lastError = null;
            switch (arrival.Message)
            {
                case SubscriptionMessage.EventAppeared { Record: var record }:
                    if (pending.Count == 0)
                        pendingSince = elapsed.Time.GetTimestamp();
                    pending.Add(record, arrival.Decoded!);
                    if (pending.Count >= _batchSize)
                        await FlushAsync(pending, elapsed, cancellationToken);
                    break;
                case SubscriptionMessage.CaughtUp:
                    await FlushAsync(pending, elapsed, cancellationToken, commit: true);
                    await CompleteFirstBuildAsync(cancellationToken);
                    MarkProjectionCaughtUp(elapsed);
                    break;
            }
        }
    }

    // Whether the store's next message comes within the time left; the timer stops as soon as it does.
    private static async Task<bool> ArrivesWithinAsync(Task<bool> arriving, TimeSpan left, TimeProvider time, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waited = await Task.WhenAny(arriving, Task.Delay(left, time, stop.Token));
        await stop.CancelAsync();
        return waited == arriving;
    }

    // Applies the pending events; while catching up, in the transaction kept open across batches (committed when it
    // has held enough: see CatchUpCommitEvery), once caught up in one transaction of their own.
    private async Task FlushAsync(Pending pending, Elapsed elapsed, CancellationToken cancellationToken, bool commit = false)
    {
        var progress = _progress;
        if (pending.Count == 0 && (_open is null || !commit))
            return;
        var changed = await ApplyBatchAsync(pending.Records, cancellationToken, commit || progress.IsCaughtUp ? null : elapsed, decoded: pending.Decoded);
        var applied = Interlocked.Add(ref _eventsApplied, pending.Count);
        var last = pending.Count > 0 ? pending.Records[^1].Position : progress.Applied;
        pending.Clear();
        if (!progress.IsCaughtUp)
        {
            _progress = progress with { Applied = last, EventsApplied = applied, Elapsed = elapsed.Now };
        }
        else
        {
            _progress = progress with { Applied = last };
        }

        // While catching up, every batch is news (the progress moved) even when it changed no account.
        if (changed > 0 || !progress.IsCaughtUp)
            _subscribers.Notify();
    }

    // What a store put off while the read models were built from nothing (the event index's lookups) is made before the
    // directory first says it has caught up: readiness waits for it, so nobody searches lookups that are not there yet.
    private async Task CompleteFirstBuildAsync(CancellationToken cancellationToken)
    {
        var first = !_projectionCaughtUp.Task.IsCompleted;
        if (first)
        {
            _progress = _progress with { IsIndexing = true };
            _subscribers.Notify();
        }

        await _store.CompleteFirstBuildAsync(cancellationToken);
        if (first)
            _progress = _progress with { IsIndexing = false };
    }

    private void MarkProjectionCaughtUp(Elapsed elapsed)
    {
        if (_projectionCaughtUp.Task.IsCompleted)
            return;
        _progress = _progress with { IsCaughtUp = true, Elapsed = elapsed.Now, EventsApplied = Interlocked.Read(ref _eventsApplied) };
        _projectionCaughtUp.TrySetResult();
        _subscribers.Notify();
    }

    // A message of the store, with what its event's data decoded to.
    private readonly record struct Arrival(SubscriptionMessage Message, DecodedEvent? Decoded);

    // The events held for the next batch, with what their data decoded to.
    private sealed class Pending(int capacity)
    {
        private readonly List<RecordedEvent> _records = new(capacity);
        private readonly List<DecodedEvent> _decoded = new(capacity);

        public int Count => _records.Count;

        public IReadOnlyList<RecordedEvent> Records => _records;

        public IReadOnlyList<DecodedEvent> Decoded => _decoded;

        public void Add(RecordedEvent record, DecodedEvent decoded)
        {
            _records.Add(record);
            _decoded.Add(decoded);
        }

        public void Clear()
        {
            _records.Clear();
            _decoded.Clear();
        }
    }

    // What one batch changes and writes.
    private sealed class Batch
    {
        public Dictionary<string, AccountState> Changed { get; } = new(StringComparer.Ordinal);

        public List<AccountState> Marks { get; } = [];

        public List<IndexedEvent> Indexed { get; } = [];

        public List<RecordedEvent> Kept { get; } = [];

        public void Clear()
        {
            Changed.Clear();
            Marks.Clear();
            Indexed.Clear();
            Kept.Clear();
        }
    }

    private sealed class CatchUpTransaction(IReadModelTransaction transaction, long began)
    {
        public IReadModelTransaction Transaction { get; } = transaction;

        /// <summary>When it began, as a timestamp of the projection's clock.</summary>
        public long Began { get; } = began;

        public Dictionary<string, AccountState> Unwritten { get; } = new(StringComparer.Ordinal);

        /// <summary>The events of the batches it holds (counted as applied until it is rolled back).</summary>
        public long Events { get; set; }

        public int Created { get; set; }

        public long? Checkpoint { get; set; }
    }

    /// <summary>Time since the projection started, on the clock it was given.</summary>
    private readonly record struct Elapsed(TimeProvider Time, long Started)
    {
        public TimeSpan Now => Time.GetElapsedTime(Started);
    }
}
