namespace AuditDashboard.Core.EventStore;

/// <summary>
/// The persistent subscriptions port: named groups on <c>$all</c> whose position the store keeps, so a consumer that
/// restarts goes on where the group stopped. Semantics follow EventStoreDB: at-least-once delivery (an event delivered
/// but not acknowledged is delivered again after a reconnection), ack by event id, nack with retry / park / skip, a
/// maximum retry count after which an event is parked, parked events listed and replayed. Order is not guaranteed
/// across retries and redeliveries: a consumer that needs order restores it.
/// </summary>
public interface IPersistentSubscriptions
{
    /// <summary>Creates the group; throws <see cref="PersistentSubscriptionExistsException"/> when it exists.</summary>
    Task CreateToAllAsync(string groupName, PersistentSubscriptionSettings settings, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes the group's settings (its position stays); connected consumers are dropped and reconnect with them.
    /// Throws <see cref="PersistentSubscriptionNotFoundException"/> when there is no such group.
    /// </summary>
    Task UpdateToAllAsync(string groupName, PersistentSubscriptionSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Deletes the group, its position and its parked events; connected consumers are dropped.</summary>
    Task DeleteToAllAsync(string groupName, CancellationToken cancellationToken = default);

    /// <summary>The group's settings, position and parked count, or null when there is no such group.</summary>
    Task<PersistentSubscriptionInfo?> GetInfoToAllAsync(string groupName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Connects to the group. At most <paramref name="bufferSize"/> events are delivered and not yet acknowledged at
    /// any time. Throws <see cref="PersistentSubscriptionNotFoundException"/> when there is no such group.
    /// </summary>
    Task<IPersistentSubscription> SubscribeToAllAsync(string groupName, int bufferSize, CancellationToken cancellationToken = default);

    /// <summary>The group's parked events, oldest first.</summary>
    IAsyncEnumerable<ParkedEvent> ReadParkedAsync(string groupName, long maxCount, CancellationToken cancellationToken = default);

    /// <summary>Delivers the group's parked events again (to its consumers, now or when one connects); they leave the parked list once acknowledged.</summary>
    Task ReplayParkedAsync(string groupName, CancellationToken cancellationToken = default);
}

/// <summary>One consumer's connection to a persistent subscription group.</summary>
public interface IPersistentSubscription : IAsyncDisposable
{
    string GroupName { get; }

    /// <summary>
    /// The events to handle, until the subscription is disposed or dropped (then
    /// <see cref="PersistentSubscriptionDroppedException"/>) or <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    IAsyncEnumerable<PersistentEvent> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks events handled: they are never delivered to this group again.</summary>
    Task AckAsync(IReadOnlyList<Guid> eventIds, CancellationToken cancellationToken = default);

    /// <summary>Reports events not handled: deliver again (up to the retry limit), park with the reason, or skip.</summary>
    Task NackAsync(NackAction action, string reason, IReadOnlyList<Guid> eventIds, CancellationToken cancellationToken = default);
}

/// <param name="StreamPrefix">Only events of streams whose id starts with this (null: every stream).</param>
/// <param name="StartAfter">The commit position the group starts after when created (null: from the first event).</param>
/// <param name="MaxRetryCount">How often an event is delivered again after a nack with retry before it is parked.</param>
public sealed record PersistentSubscriptionSettings(string? StreamPrefix = null, long? StartAfter = null, int MaxRetryCount = 10);

/// <param name="CheckpointPosition">Every event of the group at or before this commit position has been handled (null: none yet).</param>
/// <param name="ParkedCount">How many events are parked.</param>
/// <param name="ConnectionCount">How many consumers are connected now.</param>
public sealed record PersistentSubscriptionInfo(string GroupName, PersistentSubscriptionSettings Settings, long? CheckpointPosition, long ParkedCount, int ConnectionCount);

/// <summary>An event as a persistent subscription delivers it: <paramref name="RetryCount"/> is 0 on the first delivery.</summary>
public sealed record PersistentEvent(RecordedEvent Event, int RetryCount);

/// <summary>An event set aside after it could not be handled, with the last reason given.</summary>
public sealed record ParkedEvent(RecordedEvent Event, string Reason, DateTimeOffset ParkedAt, int RetryCount);

public enum NackAction
{
    /// <summary>Deliver it again; beyond the group's maximum retry count it is parked.</summary>
    Retry,

    /// <summary>Set it aside in the parked list, with the reason.</summary>
    Park,

    /// <summary>Drop it: treat it as handled.</summary>
    Skip,
}

public sealed class PersistentSubscriptionExistsException(string groupName)
    : InvalidOperationException($"The persistent subscription group '{groupName}' already exists.")
{
    public string GroupName { get; } = groupName;
}

public sealed class PersistentSubscriptionNotFoundException(string groupName)
    : InvalidOperationException($"There is no persistent subscription group '{groupName}'.")
{
    public string GroupName { get; } = groupName;
}

/// <summary>The store ended a consumer's connection (the group was updated or deleted, or the store shut down); reconnect.</summary>
public sealed class PersistentSubscriptionDroppedException(string groupName, string reason)
    : Exception($"The persistent subscription '{groupName}' was dropped: {reason}")
{
    public string GroupName { get; } = groupName;
}
