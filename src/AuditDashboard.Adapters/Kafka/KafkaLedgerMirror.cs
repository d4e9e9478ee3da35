using AuditDashboard.EventStore;
using AuditDashboard.Mirror;

namespace AuditDashboard.Kafka;

/// <summary>
/// The ledger's mirror to Kafka: one <see cref="KafkaMirror"/> for the account events and one for the seals, both to the
/// same topic through subscription groups of their own (see <see cref="MirrorSettings.ForSeals"/>), so each seal leaves
/// the system where it cannot be changed later.
/// </summary>
public sealed class KafkaLedgerMirror : ILedgerMirror
{
    private readonly IEventStore _store;
    private readonly IPersistentSubscriptions _subscriptions;
    private readonly KafkaMirror _accounts;
    private readonly KafkaMirror _seals;

    /// <param name="isTestCluster">True when <paramref name="settings"/> point at the in-process test cluster.</param>
    public KafkaLedgerMirror(IEventStore store, IPersistentSubscriptions subscriptions, MirrorSettings settings, bool isTestCluster, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(settings);
        _store = store;
        _subscriptions = subscriptions;
        _accounts = new KafkaMirror(subscriptions, settings, clock);
        _seals = new KafkaMirror(subscriptions, settings.ForSeals(), clock);
        Target = new MirrorTarget(settings.Topic, settings.BootstrapServers, isTestCluster);
    }

    public MirrorTarget Target { get; }

    public IStreamMirror Accounts => _accounts;

    public IStreamMirror Seals => _seals;

    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(
        Task.Run(() => _accounts.RunAsync(cancellationToken), cancellationToken),
        Task.Run(() => _seals.RunAsync(cancellationToken), cancellationToken));

    public IAsyncEnumerable<ParkedEvent> ReadParkedAsync(long maxCount, CancellationToken cancellationToken) =>
        _subscriptions.ReadParkedAsync(_accounts.GroupName, maxCount, cancellationToken);

    public Task ReplayParkedAsync(CancellationToken cancellationToken) => _subscriptions.ReplayParkedAsync(_accounts.GroupName, cancellationToken);

    public Task<ReconciliationReport> ReconcileAsync(string streamId, long? lastMirroredPosition, IReadOnlySet<long> parkedPositions, CancellationToken cancellationToken) =>
        Reconciliation.CheckAsync(_store, _accounts.Settings, streamId, lastMirroredPosition, parkedPositions, cancellationToken);
}
