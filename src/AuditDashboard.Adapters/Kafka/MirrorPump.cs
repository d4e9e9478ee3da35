using System.Text.Json;
using System.Threading.Channels;
using Confluent.Kafka;

namespace AuditDashboard.Adapters.Kafka;

/// <summary>
/// The single-threaded heart of one mirror run: takes the subscription's events, drops what Kafka already holds, restores
/// each stream's revision order and hands the rest to the producer; every event ends as one outcome.
/// </summary>
internal sealed class MirrorPump(
    MirrorSettings settings, IProducer<string, byte[]> producer, ChannelWriter<MirrorOutcome> outcomes, MirrorStatistics statistics, TopicReadBack inKafka, TimeProvider clock)
{
    /// <summary>How many published ids are remembered to recognise a redelivered copy.</summary>
    private const int RememberedIds = 200_000;

    /// <summary>How often, with nothing delivered, the pump looks for held events that waited too long.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly StreamOrderBuffer _order = new(inKafka.HighestRevision, KafkaMirror.HoldTimeout, clock);
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
                using var tick = new CancellationTokenSource(Tick, clock);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, tick.Token);
                bool more;
                try
                {
                    more = await incoming.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    ProduceAll(_order.ReleaseOverdue());
                    continue;
                }

                if (!more)
                {
                    await incoming.Reader.Completion;
                    return;
                }

                while (incoming.Reader.TryRead(out var delivered))
                    Handle(delivered.Event);
                ProduceAll(_order.ReleaseOverdue());
            }
        }
        finally
        {
            await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void Handle(RecordedEvent record)
    {
        lock (_inFlightGate)
        {
            // A copy of an event still on its way: its confirmation acknowledges it.
            if (_inFlight.Contains(record.EventId))
                return;
        }

        statistics.Pending(record.Position);
        if (inKafka.Ids.Contains(record.EventId) || _published.Contains(record.EventId))
        {
            outcomes.TryWrite(new MirrorOutcome(record, Duplicate: true));
            return;
        }

        ProduceAll(_order.Add(record));
    }

    private void ProduceAll(IReadOnlyList<RecordedEvent> due)
    {
        foreach (var record in due)
            Produce(record);
    }

    private void Produce(RecordedEvent record)
    {
        if (NotJson(record.Data.Span) is { } problem)
        {
            outcomes.TryWrite(new MirrorOutcome(record, ParkReason: problem));
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
                producer.Produce(settings.Topic, message, report => Delivered(record, report));
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
                outcomes.TryWrite(new MirrorOutcome(record, ParkReason: $"Kafka refused the event: {ex.Error.Reason}"));
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
            statistics.Confirmed();
            outcomes.TryWrite(new MirrorOutcome(record));
        }
        else if (IsPermanent(report.Error.Code))
        {
            outcomes.TryWrite(new MirrorOutcome(record, ParkReason: $"Kafka refused the event: {report.Error.Reason}"));
        }
        else
        {
            // A transient failure that outlived the producer's own retries: start over from the checkpoint.
            statistics.Trouble(report.Error.Reason);
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
