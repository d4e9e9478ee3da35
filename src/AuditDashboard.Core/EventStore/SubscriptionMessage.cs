namespace AuditDashboard.Core.EventStore;

/// <summary>What a catch-up subscription delivers: events in order, and a marker once history has been delivered.</summary>
public abstract record SubscriptionMessage
{
    private SubscriptionMessage()
    {
    }

    /// <summary>The next event, in commit order; never one delivered before on the same subscription.</summary>
    public sealed record EventAppeared(RecordedEvent Record) : SubscriptionMessage;

    /// <summary>Everything stored when the subscription started has been delivered; live events follow.</summary>
    public sealed record CaughtUp : SubscriptionMessage;
}
