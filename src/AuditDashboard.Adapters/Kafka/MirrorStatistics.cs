using AuditDashboard.Core.Mirror;


namespace AuditDashboard.Adapters.Kafka;

/// <summary>
/// What one mirror reports about itself: its state and last error, which events are on their way, how many were confirmed,
/// skipped or parked, and the rate. Written by the mirror's pipeline from several threads, read by <see cref="Status"/>.
/// </summary>
public sealed class MirrorStatistics(TimeProvider clock)
{
    /// <summary>How long a broker error may go without a confirmation before a running mirror reports that it is retrying.</summary>
    public static readonly TimeSpan TroubleAfter = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly SortedSet<long> _pending = [];

    // Settled events above the oldest one still on its way: the last mirrored position moves past them once it settles.
    private readonly SortedSet<long> _settled = [];
    private readonly Queue<(long Ticks, long Count)> _samples = new();
    private MirrorState _state = MirrorState.Starting;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset? _troubleSince;
    private DateTimeOffset? _lastMirroredAt;
    private long? _lastMirrored;
    private long _mirrored;
    private long _duplicates;
    private long _parked;

    public MirrorStatus Status()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var state = _state == MirrorState.Running && _troubleSince is { } since && now - since > TroubleAfter ? MirrorState.Retrying : _state;
            return new MirrorStatus(state, _lastError, _lastErrorAt, LastMirroredPositionUnderLock(), _mirrored, _duplicates, _parked, _pending.Count,
                RateUnderLock(now), _lastMirroredAt);
        }
    }

    /// <summary>A run connected: it starts after <paramref name="checkpoint"/>, and what an earlier run had on its way comes again.</summary>
    public void Running(long? checkpoint)
    {
        lock (_gate)
        {
            _state = MirrorState.Running;
            MirroredUpTo(checkpoint);
            _pending.Clear();
            _settled.Clear();
        }
    }

    public void Stopped()
    {
        lock (_gate)
            _state = MirrorState.Stopped;
    }

    /// <summary>The event at <paramref name="position"/> was taken from the subscription.</summary>
    public void Pending(long position)
    {
        lock (_gate)
            _pending.Add(position);
    }

    /// <summary>The event at <paramref name="position"/> was acknowledged (confirmed by the broker, or already there) or parked.</summary>
    public void Done(long position, bool parked, bool duplicate)
    {
        lock (_gate)
        {
            _pending.Remove(position);
            _settled.Add(position);
            AdvanceUnderLock();
            if (parked)
                _parked++;
            else if (duplicate)
                _duplicates++;
            else
            {
                _mirrored++;
                _lastMirroredAt = clock.GetUtcNow();
            }
        }
    }

    /// <summary>The broker confirmed a delivery: whatever trouble there was is over.</summary>
    public void Confirmed()
    {
        lock (_gate)
            _troubleSince = null;
    }

    /// <summary>The broker client reported a problem it goes on retrying by itself.</summary>
    public void Trouble(string reason)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            _troubleSince ??= now;
            _lastError = reason;
            _lastErrorAt = now;
        }
    }

    /// <summary>A run failed; the mirror starts another after a pause.</summary>
    public void Failed(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_gate)
        {
            _state = MirrorState.Retrying;
            _lastError = error.Message;
            _lastErrorAt = clock.GetUtcNow();
        }
    }

    // The last mirrored position is always the position of an event that settled (or the run's checkpoint), never one
    // computed from it: positions are not dense (in EventStoreDB they are log offsets), and readers start from it.
    private long? LastMirroredPositionUnderLock() => _lastMirrored;

    private void AdvanceUnderLock()
    {
        while (_settled.Count > 0 && (_pending.Count == 0 || _settled.Min < _pending.Min))
        {
            var settled = _settled.Min;
            _settled.Remove(settled);
            MirroredUpTo(settled);
        }
    }

    // Only forwards: a reconnect's older checkpoint or a redelivered event does not take back what was settled.
    private void MirroredUpTo(long? position)
    {
        if (position > _lastMirrored || _lastMirrored is null)
            _lastMirrored = position;
    }

    private double RateUnderLock(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        if (_samples.Count == 0 || ticks - _samples.Last().Ticks >= TimeSpan.TicksPerSecond)
            _samples.Enqueue((ticks, _mirrored));
        while (_samples.Count > 1 && ticks - _samples.Peek().Ticks > 5 * TimeSpan.TicksPerSecond)
            _samples.Dequeue();
        var (firstTicks, firstCount) = _samples.Peek();
        var seconds = (ticks - firstTicks) / (double)TimeSpan.TicksPerSecond;
        return seconds < 0.5 ? 0 : (_mirrored - firstCount) / seconds;
    }
}
