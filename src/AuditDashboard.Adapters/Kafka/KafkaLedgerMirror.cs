using AuditDashboard.Core.Mirror;


namespace AuditDashboard.Adapters.Kafka;

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
    private readonly KafkaMirror? _seals;

    /// <param name="isTestCluster">True when <paramref name="settings"/> point at the in-process test cluster.</param>
    /// <param name="mirrorSeals">False where the ledger is not sealed: then no seal group is made.</param>
    public KafkaLedgerMirror(IEventStore store, IPersistentSubscriptions subscriptions, MirrorSettings settings, bool isTestCluster, bool mirrorSeals, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(settings);
        _store = store;
        _subscriptions = subscriptions;
        _accounts = new KafkaMirror(subscriptions, settings, clock);
        _seals = mirrorSeals ? new KafkaMirror(subscriptions, settings.ForSeals(), clock) : null;
        Target = new MirrorTarget(settings.Topic, settings.BootstrapServers, isTestCluster);
    }

    public MirrorTarget Target { get; }

    public IStreamMirror Accounts => _accounts;

    public IStreamMirror? Seals => _seals;

    public Task RunAsync(CancellationToken cancellationToken) => _seals is null
        ? Task.Run(() => _accounts.RunAsync(cancellationToken), cancellationToken)
        : Task.WhenAll(
            Task.Run(() => _accounts.RunAsync(cancellationToken), cancellationToken),
            Task.Run(() => _seals.RunAsync(cancellationToken), cancellationToken));

    public async IAsyncEnumerable<ParkedEvent> ReadParkedAsync(long maxCount, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var count = 0L;
        await foreach (var parked in _subscriptions.ReadParkedAsync(_accounts.GroupName, maxCount, cancellationToken))
        {
            count++;
            yield return parked;
        }

        if (_seals is null || count >= maxCount)
            yield break;
        await foreach (var parked in _subscriptions.ReadParkedAsync(_seals.GroupName, maxCount - count, cancellationToken))
            yield return parked;
    }

    public async Task ReplayParkedAsync(CancellationToken cancellationToken)
    {
        await _subscriptions.ReplayParkedAsync(_accounts.GroupName, cancellationToken);
        if (_seals is not null)
            await _subscriptions.ReplayParkedAsync(_seals.GroupName, cancellationToken);
    }

    public Task<ReconciliationReport> ReconcileAsync(string streamId, long? lastMirroredPosition, IReadOnlySet<long> parkedPositions, CancellationToken cancellationToken) =>
        Reconciliation.CheckAsync(_store, _accounts.Settings, streamId, lastMirroredPosition, parkedPositions, cancellationToken);
}
