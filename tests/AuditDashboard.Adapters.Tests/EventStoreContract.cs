namespace AuditDashboard.Adapters.Tests;

/// <summary>
/// The behaviour every <see cref="IEventStore"/> adapter must show, written once against the port alone.
/// An adapter is done when a subclass that creates it passes all of these.
/// </summary>
/// <remarks>
/// Nothing here assumes an empty store: streams get unique ids and $all tests filter on a unique prefix, so a
/// subclass may hand out stores that share a server. Positions are only compared, never assumed to start at 1
/// or to be consecutive.
/// </remarks>
public abstract partial class EventStoreContract : IAsyncLifetime
{
    /// <summary>How long a test waits for something that should happen at once, before it fails instead of hanging.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private IEventStore? _store;

    /// <summary>This test's store, fresh and initialized.</summary>
    protected IEventStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected static CancellationToken TestCancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = await CreateStoreAsync(TestCancellation);

    /// <summary>Makes <paramref name="store"/> this test's store (the one disposed after the test), e.g. after a reopen.</summary>
    protected void ReplaceStore(IEventStore store) => _store = store;

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await DisposeStoreAsync(_store);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Creates a fresh, initialized store for one test.</summary>
    protected abstract Task<IEventStore> CreateStoreAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether appending events whose ids the stream already holds, at the stream's current revision, is refused. The
    /// embedded store refuses it (an event id is unique within its stream); EventStoreDB writes the events again. Both
    /// treat a retry at the revision the first attempt expected as idempotent.
    /// </summary>
    protected virtual bool RefusesEventIdsAlreadyInTheStream => true;

    /// <summary>Releases a store made by <see cref="CreateStoreAsync"/> and whatever it used.</summary>
    protected virtual ValueTask DisposeStoreAsync(IEventStore store) =>
        store is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    protected static string NewStreamId(string prefix = "contract-") => prefix + Guid.NewGuid().ToString("N");

    /// <summary>A prefix no other test uses, so $all reads filtered on it see only this test's events.</summary>
    protected static string NewPrefix() => $"contract{Guid.NewGuid():N}-";

    protected static EventData NewEvent(string type = "ThingHappened", string? data = null) => new(
        Guid.NewGuid(),
        type,
        Encoding.UTF8.GetBytes(data ?? $$"""{"value":{{Random.Shared.Next()}}}"""),
        Encoding.UTF8.GetBytes("""{"actor":"contract-test","reason":"testing"}"""));

    protected static EventData[] NewEvents(int count) => [.. Enumerable.Range(0, count).Select(_ => NewEvent())];

    /// <summary>A token cancelled after <see cref="Patience"/> or when the test is cancelled (or times out).</summary>
    protected static CancellationTokenSource WithinPatience(CancellationToken testCancellation, TimeSpan? patience = null)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(testCancellation);
        source.CancelAfter(patience ?? Patience);
        return source;
    }

    protected Task<AppendResult> AppendAsync(string streamId, ExpectedRevision expected, params EventData[] events) =>
        Store.AppendAsync(streamId, expected, events, TestCancellation);

    protected Task<List<RecordedEvent>> ReadStreamAsync(
        string streamId,
        Direction direction = Direction.Forwards,
        long from = StreamRevision.Start,
        long maxCount = long.MaxValue) =>
        Store.ReadStreamAsync(streamId, direction, from, maxCount, TestCancellation).ToListAsync(TestCancellation).AsTask();

    protected Task<List<RecordedEvent>> ReadAllAsync(
        string prefix,
        Direction direction = Direction.Forwards,
        long from = AllPosition.Start,
        long maxCount = long.MaxValue) =>
        Store.ReadAllAsync(direction, from, maxCount, prefix, TestCancellation).ToListAsync(TestCancellation).AsTask();

    protected static async Task<SubscriptionMessage> NextAsync(IAsyncEnumerator<SubscriptionMessage> subscription)
    {
        Assert.True(await subscription.MoveNextAsync(), "The subscription ended (or timed out) before the next message arrived.");
        return subscription.Current;
    }

    protected static async Task<RecordedEvent> NextEventAsync(IAsyncEnumerator<SubscriptionMessage> subscription) =>
        Assert.IsType<SubscriptionMessage.EventAppeared>(await NextAsync(subscription)).Record;

    protected static async Task NextIsCaughtUpAsync(IAsyncEnumerator<SubscriptionMessage> subscription) =>
        Assert.IsType<SubscriptionMessage.CaughtUp>(await NextAsync(subscription));

    protected static IEnumerable<Guid> IdsOf(IEnumerable<EventData> events) => events.Select(e => e.EventId);

    protected static IEnumerable<Guid> IdsOf(IEnumerable<RecordedEvent> events) => events.Select(e => e.EventId);
}
