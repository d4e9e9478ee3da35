using System.Text.Json;
using System.Threading.Channels;
using AuditDashboard.EventStore;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace AuditDashboard.Kafka;

/// <summary>
/// Mirrors every account event (or, with <see cref="MirrorSettings.ForSeals"/>, every ledger seal) to Kafka through the
/// persistent subscription <see cref="MirrorSettings.GroupName"/>:
/// one long-lived idempotent producer (<c>acks=all</c>), pipelined; an event is acknowledged on the subscription only
/// once Kafka confirmed it. Per account, Kafka receives the events in revision order: each stream's next revision is
/// tracked and an event that arrives early waits for its predecessors. Nothing is published twice: when the mirror
/// (re)starts it reads back what the topic holds after the group's checkpoint and acknowledges those events without
/// producing them again. An event Kafka refuses for good (too large, not JSON) is parked with the reason; the others
/// go on. Any other failure restarts the whole pipeline from the checkpoint, with backoff.
/// </summary>
public sealed class KafkaMirror
{
    /// <summary>How long an event waits for an earlier revision of its stream before it is published anyway.</summary>
    public static readonly TimeSpan HoldTimeout = TimeSpan.FromSeconds(10);

    private const int RememberedIds = 200_000;

    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan TroubleAfter = TimeSpan.FromSeconds(2);

    private readonly IPersistentSubscriptions _subscriptions;
    private readonly MirrorSettings _settings;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly SortedSet<long> _pending = [];
    private readonly Queue<(long Ticks, long Count)> _samples = new();
    private MirrorState _state = MirrorState.Starting;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset? _troubleSince;
    private DateTimeOffset? _lastMirroredAt;
    private long _highestSeen = -1;
    private long? _checkpoint;
    private long _mirrored;
    private long _duplicates;
    private long _parked;

    public KafkaMirror(IPersistentSubscriptions subscriptions, MirrorSettings settings, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(settings);
        _subscriptions = subscriptions;
        _settings = settings;
        _clock = clock ?? TimeProvider.System;
    }

    public MirrorSettings Settings => _settings;

    /// <summary>The producer configuration the mirror uses: the given properties with idempotence and <c>acks=all</c> forced on.</summary>
    public static ProducerConfig ProducerConfig(MirrorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = new ProducerConfig(settings.Producer.ToDictionary(p => p.Key, p => p.Value))
        {
            BootstrapServers = settings.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            ClientId = "audit-dashboard-mirror",
        };

        // Unless told otherwise, never give up on a message for a transient reason: librdkafka retries it (in order,
        // without duplicates) for as long as the brokers are away, and the mirror reports that it is retrying.
        if (!settings.Producer.ContainsKey("message.timeout.ms") && !settings.Producer.ContainsKey("delivery.timeout.ms"))
            config.MessageTimeoutMs = 0;
        config.LingerMs ??= 5;
        return config;
    }

    public MirrorStatus Status()
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            var state = _state == MirrorState.Running && _troubleSince is { } since && now - since > TroubleAfter ? MirrorState.Retrying : _state;
            return new MirrorStatus(state, _lastError, _lastErrorAt, LastMirroredPositionUnderLock(), _mirrored, _duplicates, _parked, _pending.Count,
                RateUnderLock(now), _lastMirroredAt);
        }
    }

    /// <summary>Runs until cancelled; restarts the pipeline after any failure.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = MinBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(() => backoff = MinBackoff, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The mirror outlives any failure of Kafka or the store; the error is shown on its page.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Fail(ex);
                try
                {
                    await Task.Delay(backoff, _clock, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }

        lock (_gate)
            _state = MirrorState.Stopped;
    }

    private async Task RunOnceAsync(Action connected, CancellationToken cancellationToken)
    {
        await EnsureGroupAsync(cancellationToken);
        var partitions = await Task.Run(EnsureTopic, cancellationToken);
        var info = await _subscriptions.GetInfoToAllAsync(_settings.GroupName, cancellationToken);
        var inKafka = await Task.Run(() => ReadBack(partitions, info?.CheckpointPosition, cancellationToken), cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var confirmations = Channel.CreateUnbounded<Outcome>(new UnboundedChannelOptions { SingleReader = true });
        Exception? fatal = null;
        using var producer = new ProducerBuilder<string, byte[]>(ProducerConfig(_settings))
            .SetLogHandler(static (_, _) => { })
            .SetErrorHandler((_, error) =>
            {
                Trouble(error.Reason);
                if (error.IsFatal)
                {
                    fatal = new KafkaException(error);
                    stop.Cancel();
                }
            })
            .Build();
        await using var subscription = await _subscriptions.SubscribeToAllAsync(_settings.GroupName, _settings.BufferSize, cancellationToken);
        lock (_gate)
        {
            _state = MirrorState.Running;
            _checkpoint = info?.CheckpointPosition;
            _highestSeen = Math.Max(_highestSeen, info?.CheckpointPosition ?? -1);
            _pending.Clear();
        }

        connected();
        var pump = new Pump(this, producer, confirmations.Writer, inKafka);
        var acker = Task.Run(() => AcknowledgeAsync(subscription, confirmations.Reader, stop), CancellationToken.None);
        try
        {
            await pump.RunAsync(subscription, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The acknowledger or a fatal producer error stopped the pump; reported below.
        }
        finally
        {
            await stop.CancelAsync();
            confirmations.Writer.TryComplete();
            await acker.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (fatal is not null)
            throw fatal;
        await acker;
        throw new InvalidOperationException("The mirror's pipeline stopped.");
    }

    private async Task EnsureGroupAsync(CancellationToken cancellationToken)
    {
        if (await _subscriptions.GetInfoToAllAsync(_settings.GroupName, cancellationToken) is not null)
            return;
        try
        {
            await _subscriptions.CreateToAllAsync(_settings.GroupName, new PersistentSubscriptionSettings(_settings.StreamPrefix, MaxRetryCount: 10), cancellationToken);
        }
        catch (PersistentSubscriptionExistsException)
        {
            // Another instance created it meanwhile.
        }
    }

    /// <summary>Creates the topic if it is missing; returns its partitions (none to read back when it was just created).</summary>
    private IReadOnlyList<int> EnsureTopic()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _settings.BootstrapServers, SocketTimeoutMs = 10_000 })
            .SetLogHandler(static (_, _) => { }).Build();
        var metadata = admin.GetMetadata(_settings.Topic, TimeSpan.FromSeconds(10));
        var topic = metadata.Topics.FirstOrDefault(t => t.Topic == _settings.Topic);
        if (topic is { Error.Code: ErrorCode.NoError } && topic.Partitions.Count > 0)
            return topic.Partitions.Select(p => p.PartitionId).Order().ToList();
        try
        {
            var replication = (short)Math.Min(3, Math.Max(1, metadata.Brokers.Count));
            admin.CreateTopicsAsync([new TopicSpecification { Name = _settings.Topic, NumPartitions = _settings.Partitions, ReplicationFactor = replication }])
                .GetAwaiter().GetResult();
            return [];
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.TopicAlreadyExists or ErrorCode.NoError))
        {
            // Created meanwhile (perhaps by another instance, which may already have written to it), or auto-created.
            return TopicReader.Partitions(_settings.BootstrapServers, _settings.Topic);
        }
    }

    /// <summary>
    /// What the topic holds after <paramref name="checkpoint"/>: the ids of those events and, per stream, the highest
    /// revision. Reads each partition backwards in growing windows until it reaches a message at or before the
    /// checkpoint (or the partition's start).
    /// </summary>
    private InKafka ReadBack(IReadOnlyList<int> partitions, long? checkpoint, CancellationToken cancellationToken)
    {
        var result = new InKafka();
        foreach (var partition in partitions)
        {
            // Without a checkpoint everything in the topic counts; otherwise a window wide enough to reach back to it.
            var window = checkpoint is null ? long.MaxValue : Math.Max(1_000L, _settings.BufferSize * 2L);
            while (true)
            {
                var startsAtBeginning = true;
                var reachesCheckpoint = false;
                var batch = new List<(Guid Id, string Stream, long Revision)>();
                var messages = TopicReader.Read(_settings.BootstrapServers, _settings.Topic, [partition], (_, low, high) =>
                {
                    var from = high - window < low ? low : high - window;
                    startsAtBeginning = from == low;
                    return from;
                }, cancellationToken);
                foreach (var message in messages)
                {
                    var headers = message.Message.Headers;
                    if (MirrorHeaders.Number(headers, MirrorHeaders.Position) is { } position && position <= checkpoint)
                    {
                        reachesCheckpoint = true;
                        continue;
                    }

                    // The topic is shared (account events, seals): only this group's streams matter to it.
                    if (MirrorHeaders.EventId(headers) is { } id && MirrorHeaders.Number(headers, MirrorHeaders.Revision) is { } revision
                        && message.Message.Key?.StartsWith(_settings.StreamPrefix, StringComparison.Ordinal) == true)
                        batch.Add((id, message.Message.Key, revision));
                }

                if (startsAtBeginning || reachesCheckpoint)
                {
                    foreach (var (id, stream, revision) in batch)
                        result.Add(id, stream, revision);
                    break;
                }

                window *= 4;
            }
        }

        return result;
    }

    private async Task AcknowledgeAsync(IPersistentSubscription subscription, ChannelReader<Outcome> outcomes, CancellationTokenSource stop)
    {
        var acks = new List<Outcome>();
        try
        {
            while (await outcomes.WaitToReadAsync(CancellationToken.None))
            {
                acks.Clear();
                while (acks.Count < 1_000 && outcomes.TryRead(out var outcome))
                {
                    if (outcome.ParkReason is { } reason)
                    {
                        await subscription.NackAsync(NackAction.Park, reason, [outcome.Event.EventId], CancellationToken.None);
                        Done(outcome.Event, parked: true, duplicate: false);
                    }
                    else
                    {
                        acks.Add(outcome);
                    }
                }

                if (acks.Count == 0)
                    continue;
                await subscription.AckAsync(acks.Select(a => a.Event.EventId).ToList(), CancellationToken.None);
                foreach (var ack in acks)
                    Done(ack.Event, parked: false, duplicate: ack.Duplicate);
            }
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
    }

    private void Pending(long position)
    {
        lock (_gate)
        {
            _pending.Add(position);
            _highestSeen = Math.Max(_highestSeen, position);
        }
    }

    private void Done(RecordedEvent record, bool parked, bool duplicate)
    {
        lock (_gate)
        {
            _pending.Remove(record.Position);
            if (parked)
                _parked++;
            else if (duplicate)
                _duplicates++;
            else
            {
                _mirrored++;
                _lastMirroredAt = _clock.GetUtcNow();
            }
        }
    }

    private void Confirmed()
    {
        lock (_gate)
            _troubleSince = null;
    }

    private void Trouble(string reason)
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            _troubleSince ??= now;
            _lastError = reason;
            _lastErrorAt = now;
        }
    }

    private void Fail(Exception ex)
    {
        lock (_gate)
        {
            _state = MirrorState.Retrying;
            _lastError = ex.Message;
            _lastErrorAt = _clock.GetUtcNow();
        }
    }

    private long? LastMirroredPositionUnderLock() =>
        _pending.Count > 0 ? _pending.Min - 1 : _highestSeen >= 0 ? _highestSeen : _checkpoint;

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

    /// <summary>An event done with: confirmed by Kafka, already there (a duplicate), or to be parked.</summary>
    private sealed record Outcome(RecordedEvent Event, bool Duplicate = false, string? ParkReason = null);

    /// <summary>What the topic held after the checkpoint when the mirror started.</summary>
    private sealed class InKafka
    {
        public HashSet<Guid> Ids { get; } = [];

        public Dictionary<string, long> HighestRevision { get; } = new(StringComparer.Ordinal);

        public void Add(Guid id, string stream, long revision)
        {
            Ids.Add(id);
            HighestRevision[stream] = Math.Max(HighestRevision.GetValueOrDefault(stream, -1), revision);
        }
    }

    /// <summary>
    /// The single-threaded heart of one run: takes the subscription's events, drops what Kafka already holds, restores
    /// each stream's revision order and hands the rest to the producer.
    /// </summary>
    private sealed class Pump(KafkaMirror mirror, IProducer<string, byte[]> producer, ChannelWriter<Outcome> outcomes, InKafka inKafka)
    {
        private readonly Dictionary<string, long> _next = inKafka.HighestRevision.ToDictionary(p => p.Key, p => p.Value + 1, StringComparer.Ordinal);
        private readonly Dictionary<string, SortedList<long, (PersistentEvent Event, long HeldAt)>> _held = new(StringComparer.Ordinal);
        private readonly HashSet<Guid> _inFlight = [];
        private readonly Lock _inFlightGate = new();

        // Published in this run (the most recent ones): a redelivered copy of one of them is acknowledged, not published again.
        private readonly HashSet<Guid> _published = [];
        private readonly Queue<Guid> _publishedOrder = new();

        public async Task RunAsync(IPersistentSubscription subscription, CancellationToken cancellationToken)
        {
            var incoming = Channel.CreateBounded<PersistentEvent>(new BoundedChannelOptions(1_024) { SingleReader = true, SingleWriter = true });
            var reader = Task.Run(async () =>
            {
                try
                {
                    await foreach (var delivered in subscription.ReadAsync(cancellationToken))
                        await incoming.Writer.WriteAsync(delivered, cancellationToken);
                    incoming.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    incoming.Writer.TryComplete(ex);
                }
            }, CancellationToken.None);

            try
            {
                while (true)
                {
                    using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    tick.CancelAfter(TimeSpan.FromSeconds(1));
                    bool more;
                    try
                    {
                        more = await incoming.Reader.WaitToReadAsync(tick.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        ReleaseOverdue();
                        continue;
                    }

                    if (!more)
                    {
                        await incoming.Reader.Completion;
                        return;
                    }

                    while (incoming.Reader.TryRead(out var delivered))
                        Handle(delivered);
                    ReleaseOverdue();
                }
            }
            finally
            {
                await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        private void Handle(PersistentEvent delivered)
        {
            var record = delivered.Event;
            lock (_inFlightGate)
            {
                // A copy of an event still on its way: its confirmation acknowledges it.
                if (_inFlight.Contains(record.EventId))
                    return;
            }

            mirror.Pending(record.Position);
            if (inKafka.Ids.Contains(record.EventId) || _published.Contains(record.EventId))
            {
                outcomes.TryWrite(new Outcome(record, Duplicate: true));
                return;
            }

            if (_next.TryGetValue(record.StreamId, out var next) && record.Revision > next)
            {
                if (!_held.TryGetValue(record.StreamId, out var held))
                    _held[record.StreamId] = held = [];
                held[record.Revision] = (delivered, Environment.TickCount64);
                return;
            }

            Produce(record);
            Release(record.StreamId);
        }

        private void Release(string stream)
        {
            while (_held.TryGetValue(stream, out var held) && held.Count > 0 && held.Keys[0] <= _next[stream])
            {
                var (delivered, _) = held.Values[0];
                held.RemoveAt(0);
                Produce(delivered.Event);
            }

            if (_held.TryGetValue(stream, out var empty) && empty.Count == 0)
                _held.Remove(stream);
        }

        /// <summary>An event that waited too long for an earlier revision (one that will not come) is published anyway.</summary>
        private void ReleaseOverdue()
        {
            var now = Environment.TickCount64;
            foreach (var stream in _held.Where(p => p.Value.Count > 0 && now - p.Value.Values[0].HeldAt > HoldTimeout.TotalMilliseconds).Select(p => p.Key).ToList())
            {
                _next[stream] = _held[stream].Keys[0];
                Release(stream);
            }
        }

        private void Produce(RecordedEvent record)
        {
            _next[record.StreamId] = Math.Max(_next.GetValueOrDefault(record.StreamId, 0), record.Revision + 1);
            if (NotJson(record.Data.Span) is { } problem)
            {
                outcomes.TryWrite(new Outcome(record, ParkReason: problem));
                return;
            }

            Remember(record.EventId);
            var message = new Message<string, byte[]> { Key = record.StreamId, Value = record.Data.ToArray(), Headers = MirrorHeaders.For(record), Timestamp = new Timestamp(record.Created) };
            lock (_inFlightGate)
                _inFlight.Add(record.EventId);
            while (true)
            {
                try
                {
                    producer.Produce(mirror._settings.Topic, message, report => Delivered(record, report));
                    return;
                }
                catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
                catch (ProduceException<string, byte[]> ex)
                {
                    lock (_inFlightGate)
                        _inFlight.Remove(record.EventId);
                    outcomes.TryWrite(new Outcome(record, ParkReason: $"Kafka refused the event: {ex.Error.Reason}"));
                    return;
                }
            }
        }

        private void Remember(Guid eventId)
        {
            if (!_published.Add(eventId))
                return;
            _publishedOrder.Enqueue(eventId);
            if (_publishedOrder.Count > RememberedIds)
                _published.Remove(_publishedOrder.Dequeue());
        }

        private void Delivered(RecordedEvent record, DeliveryReport<string, byte[]> report)
        {
            lock (_inFlightGate)
                _inFlight.Remove(record.EventId);
            if (report.Error.Code == ErrorCode.NoError)
            {
                mirror.Confirmed();
                outcomes.TryWrite(new Outcome(record));
            }
            else if (IsPermanent(report.Error.Code))
            {
                outcomes.TryWrite(new Outcome(record, ParkReason: $"Kafka refused the event: {report.Error.Reason}"));
            }
            else
            {
                // A transient failure that outlived the producer's own retries: start over from the checkpoint.
                mirror.Trouble(report.Error.Reason);
                outcomes.TryComplete(new KafkaException(report.Error));
            }
        }

        private static bool IsPermanent(ErrorCode code) => code is ErrorCode.MsgSizeTooLarge
            or ErrorCode.InvalidMsg or ErrorCode.InvalidRecord or ErrorCode.Local_BadMsg or ErrorCode.RecordListTooLarge;

        private static string? NotJson(ReadOnlySpan<byte> data)
        {
            try
            {
                var reader = new Utf8JsonReader(data);
                while (reader.Read())
                {
                }

                return data.IsEmpty ? "The event has no data; the mirror publishes JSON only." : null;
            }
            catch (JsonException ex)
            {
                return $"The event's data is not JSON ({ex.Message}); the mirror publishes JSON only.";
            }
        }
    }
}
