namespace AuditDashboard.Core.Export;

/// <summary>
/// Puts every look at account data on the record (the access log, <see cref="AccessEvents"/>) without making anyone
/// wait for the store: <see cref="Record"/> only counts, in memory; a flush appends. Looks with the same caller, action,
/// account or filters, client address and outcome within one <c>window</c> (from the first of them) are one event with
/// their count and their first and last time, so scrubbing through an account writes one event, not one per step.
/// <para>
/// A batch whose window ended waits for the next <see cref="FlushDueAsync"/>; <see cref="FlushAllAsync"/> appends every
/// batch, open or not, for a shutdown. A batch keeps its event id from the moment its window closes, so a retry after an
/// append that failed half-way is the store's idempotent repeat, not a second record. When the store does not answer,
/// batches stay pending and the next flush tries again; at most <c>maxPending</c> batches are held, beyond which the
/// oldest are dropped and counted (<see cref="AccessFlush.Dropped"/>) so a long outage cannot exhaust memory.
/// </para>
/// </summary>
public sealed class AccessRecorder(IEventStore store, TimeProvider time, TimeSpan window, int maxPending = AccessRecorder.DefaultMaxPending)
{
    public const int DefaultMaxPending = 10_000;

    /// <summary>Longer user agents and filters are cut: the record stays small whatever a client sends.</summary>
    public const int MaxTextLength = 512;

    // One append carries at most this many batches, so a backlog after an outage goes out in transactions of sane size.
    private const int AppendChunk = 500;

    private readonly Lock _gate = new();
    private readonly Dictionary<BatchKey, Batch> _open = [];
    private readonly List<Batch> _closed = [];

    // The flush before this one: flushes run one after another, so a shutdown's flush waits for a running one. A task
    // chain, not a semaphore, so the recorder holds nothing to dispose and still flushes while the app is torn down.
    private Task _lastFlush = Task.CompletedTask;
    private int _dropped;

    /// <summary>How long looks are merged into one event, from the first of them.</summary>
    public TimeSpan Window { get; } = window > TimeSpan.Zero ? window : throw new ArgumentOutOfRangeException(nameof(window), window, "The batch window must be positive.");

    /// <summary>How many batches are not in the store yet, open or waiting to be appended.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
                return _open.Count + _closed.Count;
        }
    }

    /// <summary>Counts <paramref name="look"/> now; never waits for the store.</summary>
    public void Record(AccessLook look)
    {
        ArgumentNullException.ThrowIfNull(look);
        var now = time.GetUtcNow();
        var key = new BatchKey(look.Who, look.Action, look.AccountId, Cut(look.Filters), look.ClientAddress, look.Outcome);
        lock (_gate)
        {
            if (_open.TryGetValue(key, out var batch))
            {
                if (now < batch.FirstAt + Window)
                {
                    batch.Count++;
                    batch.LastAt = now > batch.LastAt ? now : batch.LastAt;
                    return;
                }

                Close(batch);
            }

            _open[key] = new Batch(key, Cut(look.UserAgent), now);
            DropBeyondBound();
        }
    }

    /// <summary>
    /// Records a search across accounts by <paramref name="who"/> (a user's name, or an API key's), with its filters as
    /// text, e.g. <c>actor=sam type=FundsDeposited from=2026-12-01T00:00Z</c>.
    /// </summary>
    public void RecordSearch(string who, string filters, string? clientAddress, string? userAgent) =>
        Record(new AccessLook(who, AccessAction.EventsSearched, null, filters, clientAddress, userAgent));

    /// <summary>Appends the batches whose window has ended (and those a failed flush left).</summary>
    public Task<AccessFlush> FlushDueAsync(CancellationToken cancellationToken = default) => FlushAsync(all: false, cancellationToken);

    /// <summary>Appends every batch, its window ended or not: for a shutdown, so no look is lost.</summary>
    public Task<AccessFlush> FlushAllAsync(CancellationToken cancellationToken = default) => FlushAsync(all: true, cancellationToken);

    private async Task<AccessFlush> FlushAsync(bool all, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (_gate)
            (previous, _lastFlush) = (_lastFlush, done.Task);
        try
        {
            await previous.WaitAsync(cancellationToken);
            List<Batch> due;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                foreach (var batch in _open.Values.Where(b => all || now >= b.FirstAt + Window).ToList())
                    Close(batch);
                due = [.. _closed];
            }

            var appended = 0;
            Exception? failure = null;
            foreach (var chunk in due.Chunk(AppendChunk))
            {
                try
                {
                    await store.AppendAsync(AccessLog.StreamId, ExpectedRevision.Any, [.. chunk.Select(b => AccessEvents.Event(b.EventId, b.ToRecord()))], cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Kept pending: the next flush tries again. The caller logs why.
                    failure = ex;
                    break;
                }

                lock (_gate)
                    _closed.RemoveAll(chunk.Contains);
                appended += chunk.Length;
            }

            lock (_gate)
                return new AccessFlush(appended, _open.Count + _closed.Count, Interlocked.Exchange(ref _dropped, 0), failure);
        }
        finally
        {
            // A flush cancelled while it waited lets the next one go only after the one it waited for.
            _ = previous.ContinueWith(_ => done.SetResult(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    // Under the gate.
    private void Close(Batch batch)
    {
        _open.Remove(batch.Key);
        _closed.Add(batch);
    }

    // Under the gate: the oldest waiting batches go first, then the oldest open ones.
    private void DropBeyondBound()
    {
        var excess = _open.Count + _closed.Count - maxPending;
        if (excess <= 0)
            return;
        var fromClosed = Math.Min(excess, _closed.Count);
        _closed.RemoveRange(0, fromClosed);
        foreach (var batch in _open.Values.OrderBy(b => b.FirstAt).Take(excess - fromClosed).ToList())
            _open.Remove(batch.Key);
        _dropped += excess;
    }

    private static string? Cut(string? text) => text is { Length: > MaxTextLength } ? text[..MaxTextLength] + "…" : text;

    private sealed record BatchKey(string Who, AccessAction Action, string? AccountId, string? Filters, string? ClientAddress, AccessOutcome Outcome);

    private sealed class Batch(BatchKey key, string? userAgent, DateTimeOffset firstAt)
    {
        public BatchKey Key { get; } = key;

        public Guid EventId { get; } = Guid.NewGuid();

        public DateTimeOffset FirstAt { get; } = firstAt;

        public DateTimeOffset LastAt { get; set; } = firstAt;

        public int Count { get; set; } = 1;

        public AccessRecorded ToRecord() =>
            new(Key.Who, Key.Action, Key.AccountId, Key.Filters, FirstAt, LastAt, Count, Key.ClientAddress, userAgent, Key.Outcome);
    }
}
