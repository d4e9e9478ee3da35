using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace AuditDashboard.Adapters.Tests.Kafka;

/// <summary>
/// A persistent subscription that delivers what the test gives it, in the test's order — as EventStoreDB may after a
/// timeout or a leader change — and records what was acknowledged.
/// </summary>
internal sealed class OutOfOrderSubscriptions : IPersistentSubscriptions
{
    private readonly Channel<PersistentEvent> _deliveries = Channel.CreateUnbounded<PersistentEvent>();
    private readonly List<Guid> _acked = [];

    public IReadOnlyList<Guid> Acked
    {
        get
        {
            lock (_acked)
                return [.. _acked];
        }
    }

    public void Deliver(RecordedEvent record) => _deliveries.Writer.TryWrite(new PersistentEvent(record, 0));

    public Task CreateToAllAsync(string groupName, PersistentSubscriptionSettings settings, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task UpdateToAllAsync(string groupName, PersistentSubscriptionSettings settings, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task DeleteToAllAsync(string groupName, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<PersistentSubscriptionInfo?> GetInfoToAllAsync(string groupName, CancellationToken cancellationToken = default) =>
        Task.FromResult<PersistentSubscriptionInfo?>(new PersistentSubscriptionInfo(groupName, new PersistentSubscriptionSettings("account-"), null, 0, 0));

    public Task<IPersistentSubscription> SubscribeToAllAsync(string groupName, int bufferSize, CancellationToken cancellationToken = default) =>
        Task.FromResult<IPersistentSubscription>(new Consumer(this, groupName));

    public async IAsyncEnumerable<ParkedEvent> ReadParkedAsync(string groupName, long maxCount, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        yield break;
    }

    public Task ReplayParkedAsync(string groupName, CancellationToken cancellationToken = default) => Task.CompletedTask;

    private sealed class Consumer(OutOfOrderSubscriptions owner, string groupName) : IPersistentSubscription
    {
        public string GroupName { get; } = groupName;

        public IAsyncEnumerable<PersistentEvent> ReadAsync(CancellationToken cancellationToken = default) => owner._deliveries.Reader.ReadAllAsync(cancellationToken);

        public Task AckAsync(IReadOnlyList<Guid> eventIds, CancellationToken cancellationToken = default)
        {
            lock (owner._acked)
                owner._acked.AddRange(eventIds);
            return Task.CompletedTask;
        }

        public Task NackAsync(NackAction action, string reason, IReadOnlyList<Guid> eventIds, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
