using AuditDashboard.Adapters.Kafka;
using AuditDashboard.Core.Integrity;
using Microsoft.Extensions.Time.Testing;

namespace AuditDashboard.Adapters.Tests.Kafka;

/// <summary>
/// The ledger mirror's parked events over a real SQLite store: an account event and a seal parked by their own groups (as
/// the mirror parks what the broker refuses for good) are both listed, and both go through their mirror again on a replay.
/// </summary>
public sealed class KafkaLedgerMirrorTests : IAsyncLifetime
{
    private static readonly MirrorSettings Settings = new("127.0.0.1:9", "account-events", new Dictionary<string, string>());

    private readonly TempFolder _folder = new();
    private readonly SqliteEventStore _store;

    public KafkaLedgerMirrorTests() => _store = new SqliteEventStore(_folder.File("audit.db"));

    [Fact(Timeout = 30_000)]
    public async Task ParkedEvents_OfTheAccountAndTheSealGroups_AreListedTogether_AndReplayedTogether()
    {
        var cancel = TestContext.Current.CancellationToken;
        var mirror = new KafkaLedgerMirror(_store, _store, Settings, isTestCluster: false, mirrorSeals: true, new FakeTimeProvider());
        var account = await ParkOneAsync(Settings, AccountIds.StreamOf("PRK-0001"), cancel);
        var seal = await ParkOneAsync(Settings.ForSeals(), LedgerSeals.StreamId, cancel);

        var parked = await mirror.ReadParkedAsync(10, cancel).ToListAsync(cancel);
        var first = await mirror.ReadParkedAsync(1, cancel).ToListAsync(cancel);
        await mirror.ReplayParkedAsync(cancel);
        var accountAgain = await NextDeliveryAsync(Settings, cancel);
        var sealAgain = await NextDeliveryAsync(Settings.ForSeals(), cancel);

        Assert.Equal([account, seal], parked.Select(p => p.Event.EventId));
        Assert.Equal([account], first.Select(p => p.Event.EventId));
        Assert.Equal((account, seal), (accountAgain, sealAgain));
    }

    [Fact(Timeout = 30_000)]
    public async Task WithoutTheSealMirror_OnlyTheAccountGroupsParkedEventsAreListed()
    {
        var cancel = TestContext.Current.CancellationToken;
        var mirror = new KafkaLedgerMirror(_store, _store, Settings, isTestCluster: false, mirrorSeals: false, new FakeTimeProvider());
        var account = await ParkOneAsync(Settings, AccountIds.StreamOf("PRK-0002"), cancel);
        await ParkOneAsync(Settings.ForSeals(), LedgerSeals.StreamId, cancel);

        var parked = await mirror.ReadParkedAsync(10, cancel).ToListAsync(cancel);

        Assert.Null(mirror.Seals);
        Assert.Equal([account], parked.Select(p => p.Event.EventId));
    }

    public ValueTask InitializeAsync() => new(_store.InitializeAsync(TestContext.Current.CancellationToken));

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _folder.Dispose();
    }

    // Appends one event to the stream and parks it in the group the settings name, as the mirror does with what the broker refuses.
    private async Task<Guid> ParkOneAsync(MirrorSettings settings, string streamId, CancellationToken cancel)
    {
        var id = Guid.NewGuid();
        await _store.CreateToAllAsync(settings.GroupName, new PersistentSubscriptionSettings(settings.StreamPrefix, MaxRetryCount: 10), cancel);
        await _store.AppendAsync(streamId, ExpectedRevision.Any, [new EventData(id, "Refused", Encoding.UTF8.GetBytes("{}"), Encoding.UTF8.GetBytes("{}"))], cancel);
        await using var subscription = await _store.SubscribeToAllAsync(settings.GroupName, 10, cancel);
        await foreach (var delivered in subscription.ReadAsync(cancel))
        {
            await subscription.NackAsync(NackAction.Park, "refused by the broker", [delivered.Event.EventId], cancel);
            if (delivered.Event.EventId == id)
                break;
        }

        return id;
    }

    private async Task<Guid> NextDeliveryAsync(MirrorSettings settings, CancellationToken cancel)
    {
        await using var subscription = await _store.SubscribeToAllAsync(settings.GroupName, 10, cancel);
        await foreach (var delivered in subscription.ReadAsync(cancel))
            return delivered.Event.EventId;
        throw new InvalidOperationException($"The group {settings.GroupName} delivered nothing.");
    }
}
