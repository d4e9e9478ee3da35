using System.Threading.Channels;

namespace AuditDashboard.Adapters.Kafka;

/// <summary>
/// Settles each event with the subscription once its outcome is known: acknowledges what Kafka confirmed (or already held),
/// in batches, and parks what Kafka refused for good, with the reason.
/// </summary>
internal sealed class MirrorAcknowledger(IPersistentSubscription subscription, MirrorStatistics statistics)
{
    private const int BatchSize = 1_000;

    /// <summary>Runs until the outcomes are complete; a failure of the subscription cancels <paramref name="stop"/> (the whole run).</summary>
    public async Task RunAsync(ChannelReader<MirrorOutcome> outcomes, CancellationTokenSource stop)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(stop);
        var acks = new List<MirrorOutcome>();
        try
        {
            while (await outcomes.WaitToReadAsync(CancellationToken.None))
            {
                acks.Clear();
                while (acks.Count < BatchSize && outcomes.TryRead(out var outcome))
                {
                    if (outcome.ParkReason is { } reason)
                    {
                        await subscription.NackAsync(NackAction.Park, reason, [outcome.Event.EventId], CancellationToken.None);
                        statistics.Done(outcome.Event.Position, parked: true, duplicate: false);
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
                    statistics.Done(ack.Event.Position, parked: false, duplicate: ack.Duplicate);
            }
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
    }
}
