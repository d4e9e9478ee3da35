using AuditDashboard.Adapters.Kafka;
using AuditDashboard.Core.Mirror;

namespace AuditDashboard.Adapters.Tests.Kafka;

/// <summary>The mirror between a real SQLite store and a real Kafka protocol (librdkafka's mock cluster).</summary>
public sealed class KafkaMirrorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 90_000)]
    public async Task EveryEvent_ArrivesOnce_InRevisionOrderPerAccount_WithCloudEventsHeaders()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await MirrorFixture.StartAsync(ct);
        var written = await fixture.AppendAsync(accounts: 7, count: 60, ct);
        await fixture.Store.AppendAsync("audit-access", ExpectedRevision.Any, [MirrorFixture.Event(1)], ct);

        await fixture.UntilMirroredAsync(written[^1].Position, Patience, ct);
        var messages = fixture.ReadTopic(ct);

        Assert.Equal(written.Count, messages.Count);
        Assert.Equal(written.Select(e => e.EventId).Order(), messages.Select(m => MirrorHeaders.EventId(m.Message.Headers)!.Value).Order());
        foreach (var stream in messages.GroupBy(m => m.Message.Key))
        {
            var revisions = stream.OrderBy(m => m.Offset.Value).Select(m => MirrorHeaders.Number(m.Message.Headers, MirrorHeaders.Revision)!.Value).ToList();
            Assert.Equal(Enumerable.Range(0, 60).Select(i => (long)i), revisions);
            Assert.Single(stream.Select(m => m.Partition.Value).Distinct());
        }

        var first = written[0];
        var message = Assert.Single(messages, m => MirrorHeaders.EventId(m.Message.Headers) == first.EventId).Message;
        Assert.Equal(first.StreamId, message.Key);
        Assert.Equal(first.Data.ToArray(), message.Value);
        Assert.Equal("1.0", MirrorHeaders.Text(message.Headers, MirrorHeaders.SpecVersion));
        Assert.Equal(first.EventType, MirrorHeaders.Text(message.Headers, MirrorHeaders.Type));
        Assert.Equal(first.StreamId, MirrorHeaders.Text(message.Headers, MirrorHeaders.Source));
        Assert.Equal(first.Created, DateTimeOffset.Parse(MirrorHeaders.Text(message.Headers, MirrorHeaders.Time)!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("application/json", MirrorHeaders.Text(message.Headers, MirrorHeaders.ContentType));
        Assert.Equal(first.Position, MirrorHeaders.Number(message.Headers, MirrorHeaders.Position));
        var status = fixture.Mirror.Status();
        Assert.Equal(MirrorState.Running, status.State);
        Assert.Equal(written.Count, status.Mirrored);
        Assert.Equal(0, status.InFlight);
    }

    [Fact(Timeout = 120_000)]
    public async Task ARestart_PublishesNothingTwice_AndEverythingItHadNot()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await MirrorFixture.StartAsync(ct);
        var before = await fixture.AppendAsync(accounts: 5, count: 40, ct);
        await fixture.UntilMirroredAsync(before[^1].Position, Patience, ct);

        // The group's checkpoint is put back to the start, as if the process had died before saving any of it.
        await fixture.RestartAsync(reopenStore: true, ct, beforeReopening: () => fixture.ExecuteSql("UPDATE subscription_groups SET checkpoint = NULL"));
        var after = await fixture.AppendAsync(accounts: 5, count: 20, ct, prefix: "account-U");
        await fixture.UntilMirroredAsync(after[^1].Position, Patience, ct);

        var ids = fixture.ReadTopic(ct).Select(m => MirrorHeaders.EventId(m.Message.Headers)!.Value).ToList();
        Assert.Equal(before.Count + after.Count, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact(Timeout = 120_000)]
    public async Task APoisonEvent_IsParkedWithTheReason_AndTheEventsAfterItStillFlow()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await MirrorFixture.StartAsync(ct, producer: new Dictionary<string, string> { ["message.max.bytes"] = "100000" });
        await fixture.Store.AppendAsync("account-P001", ExpectedRevision.Any, [MirrorFixture.Event(1)], ct);
        var huge = new EventData(Guid.NewGuid(), "FundsDeposited", Encoding.UTF8.GetBytes($$"""{"note":"{{new string('x', 200_000)}}"}"""), "{}"u8.ToArray());
        var notJson = new EventData(Guid.NewGuid(), "FundsDeposited", "<xml/>"u8.ToArray(), "{}"u8.ToArray());
        await fixture.Store.AppendAsync("account-P001", ExpectedRevision.Any, [huge, notJson, MirrorFixture.Event(2)], ct);
        var last = await fixture.Store.AppendAsync("account-P002", ExpectedRevision.Any, [MirrorFixture.Event(3)], ct);

        await fixture.UntilMirroredAsync(last.Position, Patience, ct);

        var parked = await fixture.Store.ReadParkedAsync(fixture.Settings.GroupName, 10, ct).ToListAsync(ct);
        Assert.Equal([huge.EventId, notJson.EventId], parked.Select(p => p.Event.EventId));
        Assert.Contains("too large", parked[0].Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not JSON", parked[1].Reason, StringComparison.Ordinal);
        var keys = fixture.ReadTopic(ct).Select(m => (m.Message.Key, MirrorHeaders.Number(m.Message.Headers, MirrorHeaders.Revision))).ToList();
        Assert.Equal(3, keys.Count);
        Assert.Contains(("account-P001", (long?)3), keys);
        Assert.Equal(2, fixture.Mirror.Status().Parked);
    }

    [Fact(Timeout = 120_000)]
    public async Task WithTheBrokerDownForSeconds_TheMirrorSaysItIsRetrying_ThenCatchesUp_WithNothingLostOrDuplicated()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await MirrorFixture.StartAsync(ct);
        var before = await fixture.AppendAsync(accounts: 3, count: 20, ct);
        await fixture.UntilMirroredAsync(before[^1].Position, Patience, ct);

        fixture.Cluster.SetBrokerDown(1);
        var during = await fixture.AppendAsync(accounts: 3, count: 20, ct, prefix: "account-D");
        var sawRetrying = false;
        for (var i = 0; i < 100 && !sawRetrying; i++)
        {
            await Task.Delay(100, ct);
            sawRetrying = fixture.Mirror.Status() is { State: MirrorState.Retrying, LastError: not null };
        }

        Assert.True(sawRetrying, $"The mirror never said it was retrying: {fixture.Mirror.Status()}");
        Assert.True(fixture.Mirror.Status().LastMirroredPosition < during[0].Position);
        fixture.Cluster.SetBrokerUp(1);

        await fixture.UntilMirroredAsync(during[^1].Position, Patience, ct);
        var ids = fixture.ReadTopic(ct).Select(m => MirrorHeaders.EventId(m.Message.Headers)!.Value).ToList();
        Assert.Equal(before.Count + during.Count, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(MirrorState.Running, fixture.Mirror.Status().State);
    }

    [Fact(Timeout = 90_000)]
    public async Task EventsDeliveredOutOfOrder_ReachKafkaInRevisionOrder_AndRedeliveriesAreNotPublishedTwice()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cluster = new KafkaTestCluster();
        var subscriptions = new OutOfOrderSubscriptions();
        var settings = new MirrorSettings(cluster.BootstrapServers, "account-events", new Dictionary<string, string>()) { Partitions = 1 };
        var mirror = new KafkaMirror(subscriptions, settings);
        using var stop = new CancellationTokenSource();
        var running = mirror.RunAsync(stop.Token);
        RecordedEvent Record(string stream, long revision, long position) =>
            new(stream, revision, position, Guid.NewGuid(), "FundsDeposited", Encoding.UTF8.GetBytes($$"""{"amount":{{revision}}}"""), "{}"u8.ToArray(), DateTimeOffset.UtcNow);
        var a = Enumerable.Range(0, 4).Select(r => Record("account-A", r, r * 2)).ToList();
        var b = Enumerable.Range(0, 2).Select(r => Record("account-B", r, r * 2 + 1)).ToList();

        Task UntilAckedAsync(IEnumerable<RecordedEvent> records)
        {
            var ids = records.Select(e => e.EventId).ToHashSet();
            return Eventually.UntilAsync(() => ids.IsSubsetOf(subscriptions.Acked), $"{ids.Count} events to be acked", TimeSpan.FromSeconds(30), ct);
        }

        // a0 and b0; then a2 and a3 before a1 (a1 comes late, as after a redelivery), b1, and a0 again once Kafka has it.
        subscriptions.Deliver(a[0]);
        subscriptions.Deliver(b[0]);
        await UntilAckedAsync([a[0], b[0]]);
        foreach (var record in new[] { a[2], a[3], b[1], a[0], a[1] })
            subscriptions.Deliver(record);

        var expected = a.Concat(b).Select(e => e.EventId).ToHashSet();
        await UntilAckedAsync(a.Concat(b));
        await stop.CancelAsync();
        await running;

        var messages = TopicReader.Read(settings.BootstrapServers, settings.Topic, TopicReader.Partitions(settings.BootstrapServers, settings.Topic), (_, low, _) => low, ct).ToList();
        Assert.Equal(6, messages.Count);
        Assert.Equal([0L, 1, 2, 3], messages.Where(m => m.Message.Key == "account-A").Select(m => MirrorHeaders.Number(m.Message.Headers, MirrorHeaders.Revision)!.Value));
        Assert.Equal([0L, 1], messages.Where(m => m.Message.Key == "account-B").Select(m => MirrorHeaders.Number(m.Message.Headers, MirrorHeaders.Revision)!.Value));
        Assert.Superset(expected, subscriptions.Acked.ToHashSet());
    }
}
