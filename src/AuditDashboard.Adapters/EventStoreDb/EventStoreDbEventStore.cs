using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditDashboard.Adapters.EventStoreDb;

/// <summary>
/// <see cref="IEventStore"/> and <see cref="IPersistentSubscriptions"/> over EventStoreDB / KurrentDB's public v1 gRPC
/// protocol: the one object the composition root builds from a connection string.
/// </summary>
/// <remarks>
/// It only puts the parts together, each with one job: <see cref="EsdbNodes"/> picks the node and holds its channel
/// (discovery, gossip, leader changes), <see cref="EsdbCalls"/> runs each call with retries and turns its failure into the
/// port's exception, <see cref="EsdbStreams"/> appends, reads and subscribes, and <see cref="EsdbPersistentSubscriptions"/>
/// serves persistent subscriptions to <c>$all</c>.
/// </remarks>
public sealed class EventStoreDbEventStore : IEventStore, IPersistentSubscriptions, IAsyncDisposable, IDisposable
{
    /// <summary>How many times a call is made at most (the first try included).</summary>
    public const int MaxAttempts = EsdbCalls.MaxAttempts;

    /// <summary>What a parked record's reason reads as when the server kept none.</summary>
    public const string UnknownParkReason = EsdbPersistentSubscriptions.UnknownParkReason;

    private readonly EsdbConnectionString _settings;
    private readonly EsdbNodes _nodes;
    private readonly EsdbStreams _streams;
    private readonly EsdbPersistentSubscriptions _persistent;

    /// <param name="settings">The parsed connection string.</param>
    /// <param name="handlerFactory">The HTTP handler for a node (tests); null: a <see cref="SocketsHttpHandler"/> per the settings.</param>
    /// <param name="logger">Where retries, discovery and leader changes are logged; null: nowhere.</param>
    public EventStoreDbEventStore(EsdbConnectionString settings, Func<EsdbEndpoint, HttpMessageHandler>? handlerFactory = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        logger ??= NullLogger.Instance;
        _nodes = new EsdbNodes(settings, handlerFactory, logger);
        var calls = new EsdbCalls(_nodes, settings, logger);
        _streams = new EsdbStreams(calls);
        _persistent = new EsdbPersistentSubscriptions(calls, _streams);
    }

    public EventStoreDbEventStore(string connectionString)
        : this(EsdbConnectionString.Parse(connectionString))
    {
    }

    /// <summary>The nodes the connection string names (seeds of a cluster, or the single node).</summary>
    public IReadOnlyList<EsdbEndpoint> Hosts => _settings.Hosts;

    /// <summary>The node this store talks to (or, before the first call, will talk to or discover through).</summary>
    public EsdbEndpoint Endpoint => _nodes.Endpoint;

    /// <summary>The stream EventStoreDB parks a <c>$all</c> group's events in (as links to them).</summary>
    public static string ParkedStreamOf(string groupName) => EsdbPersistentSubscriptions.ParkedStreamOf(groupName);

    /// <inheritdoc />
    /// <remarks>Discovers the cluster first when the connection string asks for it; transient failures are retried.</remarks>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _streams.InitializeAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>One attempt, no retry: a readiness check reports what it finds.</remarks>
    public Task<bool> IsReachableAsync(CancellationToken cancellationToken = default) => _streams.IsReachableAsync(cancellationToken);

    /// <inheritdoc />
    public Task<AppendResult> AppendAsync(string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default) =>
        _streams.AppendAsync(streamId, expected, events, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, Direction direction, long fromRevision, long maxCount, CancellationToken cancellationToken = default) =>
        _streams.ReadStreamAsync(streamId, direction, fromRevision, maxCount, cancellationToken);

    /// <inheritdoc />
    public Task<long?> GetLastRevisionAsync(string streamId, CancellationToken cancellationToken = default) =>
        _streams.GetLastRevisionAsync(streamId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(Direction direction, long fromPosition, long maxCount, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
        _streams.ReadAllAsync(direction, fromPosition, maxCount, streamPrefix, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<SubscriptionMessage> SubscribeToStreamAsync(string streamId, long? afterRevision, CancellationToken cancellationToken = default) =>
        _streams.SubscribeToStreamAsync(streamId, afterRevision, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(long? afterPosition, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
        _streams.SubscribeToAllAsync(afterPosition, streamPrefix, cancellationToken);

    /// <inheritdoc />
    public Task CreateToAllAsync(string groupName, PersistentSubscriptionSettings settings, CancellationToken cancellationToken = default) =>
        _persistent.CreateToAllAsync(groupName, settings, cancellationToken);

    /// <inheritdoc />
    /// <remarks>The update keeps the filter the group was created with: EventStoreDB's update request has none.</remarks>
    public Task UpdateToAllAsync(string groupName, PersistentSubscriptionSettings settings, CancellationToken cancellationToken = default) =>
        _persistent.UpdateToAllAsync(groupName, settings, cancellationToken);

    /// <inheritdoc />
    public Task DeleteToAllAsync(string groupName, CancellationToken cancellationToken = default) =>
        _persistent.DeleteToAllAsync(groupName, cancellationToken);

    /// <inheritdoc />
    /// <remarks>The settings' stream prefix is null: EventStoreDB does not report a group's filter.</remarks>
    public Task<PersistentSubscriptionInfo?> GetInfoToAllAsync(string groupName, CancellationToken cancellationToken = default) =>
        _persistent.GetInfoToAllAsync(groupName, cancellationToken);

    /// <inheritdoc />
    public Task<IPersistentSubscription> SubscribeToAllAsync(string groupName, int bufferSize, CancellationToken cancellationToken = default) =>
        _persistent.SubscribeToAllAsync(groupName, bufferSize, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Read from the group's parked stream, which keeps no retry count (0) and, from some servers, no reason.</remarks>
    public IAsyncEnumerable<ParkedEvent> ReadParkedAsync(string groupName, long maxCount, CancellationToken cancellationToken = default) =>
        _persistent.ReadParkedAsync(groupName, maxCount, cancellationToken);

    /// <inheritdoc />
    public Task ReplayParkedAsync(string groupName, CancellationToken cancellationToken = default) =>
        _persistent.ReplayParkedAsync(groupName, cancellationToken);

    /// <summary>Closes every channel: running calls, subscriptions included, end.</summary>
    public void Dispose() => _nodes.Dispose();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
