using AuditDashboard.Core.Live;
using AuditDashboard.Core.Mirror;


namespace AuditDashboard.Mirror;

/// <summary>
/// The mirror as its page and <c>GET /api/mirror/status</c> show it: the mirror's own status plus the lag (account
/// events not yet in Kafka, and how long the oldest has waited) and the parked events, read from the store at most
/// once a second.
/// </summary>
/// <param name="mirror">The running mirror; null when it is turned off (<c>Kafka:Enabled=false</c>) or the store is served read-only.</param>
public sealed class MirrorMonitor(IEventStore store, TimeProvider clock, ILedgerMirror? mirror = null) : IDisposable
{
    /// <summary>Lag is counted exactly up to this many events; beyond, it is "at least".</summary>
    public const int LagCountLimit = 100_000;

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly ChangeSubscribers _subscribers = new();
    private readonly Lock _ticking = new();
    private ITimer? _ticks;
    private MirrorReport? _last;

    /// <summary>Whether the mirror runs: decided once, when the services were registered (<c>Kafka:Enabled</c>).</summary>
    public bool Enabled => mirror is not null;

    /// <summary>The running mirror, or null when it is turned off.</summary>
    public ILedgerMirror? Mirror => mirror;

    /// <summary>The current report, at most a second old.</summary>
    public async Task<MirrorReport> ReportAsync(CancellationToken cancellationToken = default)
    {
        if (_last is { } cached && clock.GetUtcNow() - cached.At < CacheFor)
            return cached;
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } fresh && clock.GetUtcNow() - fresh.At < CacheFor)
                return fresh;
            return _last = await BuildAsync(cancellationToken);
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>
    /// Calls <paramref name="onChange"/> once a second while anyone listens (read <see cref="ReportAsync"/> then), until
    /// disposed. The report moves with time as well as with events (how long the oldest waiting event has waited, the
    /// rate), so it is polled: by one timer for every page, and the report is built at most once a second for all.
    /// </summary>
    public IDisposable Subscribe(Func<Task> onChange)
    {
        var subscription = _subscribers.Subscribe(onChange);
        lock (_ticking)
            _ticks ??= clock.CreateTimer(_ => _subscribers.Notify(), null, CacheFor, CacheFor);
        return new Listener(this, subscription);
    }

    public void Dispose()
    {
        lock (_ticking)
            _ticks?.Dispose();
        _refresh.Dispose();
    }

    // The last page to leave stops the timer.
    private void Unsubscribed()
    {
        lock (_ticking)
        {
            if (_subscribers.Any || _ticks is null)
                return;
            _ticks.Dispose();
            _ticks = null;
        }
    }

    private sealed class Listener(MirrorMonitor monitor, IDisposable subscription) : IDisposable
    {
        public void Dispose()
        {
            subscription.Dispose();
            monitor.Unsubscribed();
        }
    }

    private async Task<MirrorReport> BuildAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (mirror is null)
            return new MirrorReport(now, new MirrorStatus(MirrorState.Stopped, "The mirror is turned off (Kafka:Enabled=false).", null, null, 0, 0, 0, 0, 0, null), 0, false, 0, [], null);

        var status = mirror.Accounts.Status();
        // Read from the last mirrored event itself and skip it: positions are not dense (in EventStoreDB they are log
        // offsets), so "the position after it" is not one a store must accept.
        var last = status.LastMirroredPosition;
        long lag = 0;
        DateTimeOffset? oldest = null;
        try
        {
            await foreach (var waiting in store.ReadAllAsync(Direction.Forwards, last ?? AllPosition.Start, LagCountLimit + 2, AccountIds.StreamPrefix, cancellationToken))
            {
                if (waiting.Position <= last)
                    continue;
                oldest ??= waiting.Created;
                lag++;
            }

            var parked = await mirror.ReadParkedAsync(500, cancellationToken).ToListAsync(cancellationToken);
            var lagSeconds = oldest is { } since ? Math.Max(0, (now - since).TotalSeconds) : 0;
            return new MirrorReport(now, status, Math.Min(lag, LagCountLimit), lag > LagCountLimit, lagSeconds, parked, null);
        }
        catch (EventStoreUnavailableException ex)
        {
            return new MirrorReport(now, status, 0, false, 0, [], ex.Message);
        }
    }
}

/// <param name="LagEvents">Account events not yet confirmed by Kafka (at most <see cref="MirrorMonitor.LagCountLimit"/>).</param>
/// <param name="LagAtLeast">True when there are more than that.</param>
/// <param name="LagSeconds">How long the oldest of them has waited.</param>
/// <param name="StoreError">Why the store could not be asked, if it could not.</param>
public sealed record MirrorReport(
    DateTimeOffset At, MirrorStatus Status, long LagEvents, bool LagAtLeast, double LagSeconds, IReadOnlyList<ParkedEvent> Parked, string? StoreError)
{
    public long ParkedCount => Parked.Count;

    /// <summary>The commit positions of the parked events (asked once per timeline row: a set, not a scan).</summary>
    public IReadOnlySet<long> ParkedPositions { get; } = Parked.Select(p => p.Event.Position).ToHashSet();

    /// <summary>Whether the event at <paramref name="position"/> is in Kafka (true), parked (false), or not yet (null).</summary>
    public bool? IsMirrored(long position) =>
        ParkedPositions.Contains(position) ? false
        : Status.LastMirroredPosition is { } mirrored && position <= mirrored ? true
        : null;
}
