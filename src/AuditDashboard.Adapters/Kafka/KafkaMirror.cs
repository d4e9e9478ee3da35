using System.Threading.Channels;
using AuditDashboard.Core.Mirror;
using Confluent.Kafka;

namespace AuditDashboard.Adapters.Kafka;

/// <summary>
/// Mirrors every account event (or, with <see cref="MirrorSettings.ForSeals"/>, every ledger seal) to Kafka through the
/// persistent subscription <see cref="MirrorSettings.GroupName"/>:
/// one long-lived idempotent producer (<c>acks=all</c>), pipelined; an event is acknowledged on the subscription only
/// once Kafka confirmed it. Per account, Kafka receives the events in revision order (<see cref="StreamOrderBuffer"/>).
/// Nothing is published twice: when the mirror (re)starts it reads back what the topic holds after the group's checkpoint
/// (<see cref="KafkaTopic"/>) and acknowledges those events without producing them again. An event Kafka refuses for good
/// (too large, not JSON) is parked with the reason; the others go on. Any other failure restarts the whole pipeline from
/// the checkpoint, with backoff.
/// </summary>
public sealed class KafkaMirror : IStreamMirror
{
    /// <summary>How long an event waits for an earlier revision of its stream before it is published anyway.</summary>
    public static readonly TimeSpan HoldTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(15);

    private readonly IPersistentSubscriptions _subscriptions;
    private readonly MirrorSettings _settings;
    private readonly TimeProvider _clock;
    private readonly MirrorStatistics _statistics;
    private readonly KafkaTopic _topic;

    public KafkaMirror(IPersistentSubscriptions subscriptions, MirrorSettings settings, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(settings);
        _subscriptions = subscriptions;
        _settings = settings;
        _clock = clock ?? TimeProvider.System;
        _statistics = new MirrorStatistics(_clock);
        _topic = new KafkaTopic(settings);
    }

    public MirrorSettings Settings => _settings;

    public string GroupName => _settings.GroupName;

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

    public MirrorStatus Status() => _statistics.Status();

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
                _statistics.Failed(ex);
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

        _statistics.Stopped();
    }

    private async Task RunOnceAsync(Action connected, CancellationToken cancellationToken)
    {
        await EnsureGroupAsync(cancellationToken);
        var partitions = await Task.Run(_topic.Ensure, cancellationToken);
        var info = await _subscriptions.GetInfoToAllAsync(_settings.GroupName, cancellationToken);
        var inKafka = await Task.Run(() => _topic.ReadBack(partitions, info?.CheckpointPosition, cancellationToken), cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var outcomes = Channel.CreateUnbounded<MirrorOutcome>(new UnboundedChannelOptions { SingleReader = true });
        Exception? fatal = null;
        using var producer = new ProducerBuilder<string, byte[]>(ProducerConfig(_settings))
            .SetLogHandler(static (_, _) => { })
            .SetErrorHandler((_, error) =>
            {
                _statistics.Trouble(error.Reason);
                if (error.IsFatal)
                {
                    fatal = new KafkaException(error);
                    stop.Cancel();
                }
            })
            .Build();
        await using var subscription = await _subscriptions.SubscribeToAllAsync(_settings.GroupName, _settings.BufferSize, cancellationToken);
        _statistics.Running(info?.CheckpointPosition);

        connected();
        var pump = new MirrorPump(_settings, producer, outcomes.Writer, _statistics, inKafka, _clock);
        var acknowledger = new MirrorAcknowledger(subscription, _statistics);
        var acker = Task.Run(() => acknowledger.RunAsync(outcomes.Reader, stop), CancellationToken.None);
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
            outcomes.Writer.TryComplete();
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
}
