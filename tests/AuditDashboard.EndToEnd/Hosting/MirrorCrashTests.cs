using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Adapters.Kafka;

namespace AuditDashboard.EndToEnd.Hosting;

/// <summary>
/// The dashboard, mirroring to a Kafka test cluster hosted by this test, is killed with SIGKILL while events are being
/// written and mirrored, then started again: Kafka ends up holding every account event exactly once, in revision order
/// per account.
/// </summary>
public sealed class MirrorCrashTests(ITestOutputHelper output)
{
    private const string Topic = "account-events";
    private static readonly TimeSpan CatchUpBound = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 240_000)]
    public async Task KilledMidFlight_AndRestarted_KafkaHoldsEveryEventOnce_InOrderPerAccount()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var cluster = new KafkaTestCluster();
        cluster.CreateTopic(Topic, partitions: 6);
        await using var app = new AppProcess
        {
            SeedDemoData = false,
            Settings = new Dictionary<string, string> { ["Kafka__BootstrapServers"] = cluster.BootstrapServers, ["Kafka__Topic"] = Topic },
        };
        await app.InitializeAsync();

        // A second writer on the app's file appends a steady stream of account events, before, during and after the kill.
        await using var writer = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={app.DatabasePath}"));
        await writer.InitializeAsync(cancellation);
        var written = 0;
        async Task WriteAsync(TimeSpan duration)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                for (var account = 0; account < 12; account++)
                {
                    var events = Enumerable.Range(0, 5).Select(i => new EventData(Guid.NewGuid(), "FundsDeposited",
                        Encoding.UTF8.GetBytes($$"""{"amount":{{written + i}},"currency":"EUR","reference":null}"""), """{"actor":"crash-test","reason":"load"}"""u8.ToArray())).ToList();
                    await writer.AppendAsync($"account-CRASH{account:D2}", ExpectedRevision.Any, events, cancellation);
                    written += events.Count;
                }

                await Task.Delay(10, cancellation);
            }
        }

        await WriteAsync(TimeSpan.FromSeconds(3));
        var beforeKill = await StatusAsync(app, cancellation);
        Assert.True(beforeKill.Mirrored > 0, $"Nothing was mirrored before the kill: {beforeKill}");
        await app.KillAsync();
        output.WriteLine($"Killed with {written} events written; the mirror had reported {beforeKill.Mirrored} mirrored, lag {beforeKill.LagEvents}.");

        await WriteAsync(TimeSpan.FromSeconds(1));
        await app.StartAsync();
        var head = await writer.ReadAllAsync(Direction.Backwards, AllPosition.End, 1, "account-", cancellation).FirstAsync(cancellation);
        var caughtUp = Stopwatch.StartNew();
        MirrorStatusDto status;
        do
        {
            await Task.Delay(200, cancellation);
            status = await StatusAsync(app, cancellation);
        }
        while ((status.LastMirroredPosition < head.Position || status.LagEvents > 0) && caughtUp.Elapsed < CatchUpBound);

        output.WriteLine($"After the restart: {status}; {written} events written in all.");
        Assert.True(status.LastMirroredPosition >= head.Position, $"The mirror did not catch up within {CatchUpBound.TotalSeconds:0} s: {status}");
        Assert.Equal("running", status.State);
        // Mid-flight: events were waiting for Kafka when the process died (and, when the checkpoint had not caught up
        // with Kafka, some came again after the restart and were recognised).
        Assert.True(beforeKill.LagEvents > 0 || status.DuplicatesSkipped > 0, $"The kill did not catch the mirror with work in flight: {beforeKill}, then {status}");

        // The topic also carries the ledger's seals (key audit-seals), published by their own group: once each, too.
        var all = TopicReader.Read(cluster.BootstrapServers, Topic, TopicReader.Partitions(cluster.BootstrapServers, Topic), (_, low, _) => low, cancellation).ToList();
        var sealIds = all.Where(m => m.Message.Key == "audit-seals").Select(m => MirrorHeaders.EventId(m.Message.Headers)!.Value).ToList();
        Assert.Equal(sealIds.Count, sealIds.Distinct().Count());
        var messages = all.Where(m => m.Message.Key.StartsWith("account-", StringComparison.Ordinal)).ToList();
        var ids = messages.Select(m => MirrorHeaders.EventId(m.Message.Headers)!.Value).ToList();
        Assert.Equal(written, ids.Distinct().Count());
        Assert.Equal(written, ids.Count);
        foreach (var stream in messages.GroupBy(m => m.Message.Key))
        {
            var revisions = stream.OrderBy(m => m.Offset.Value).Select(m => MirrorHeaders.Number(m.Message.Headers, MirrorHeaders.Revision)!.Value).ToList();
            Assert.Equal(Enumerable.Range(0, revisions.Count).Select(r => (long)r), revisions);
        }
    }

    private static async Task<MirrorStatusDto> StatusAsync(AppProcess app, CancellationToken cancellationToken)
    {
        using var api = app.CreateApiClient();
        return await api.GetFromJsonAsync<MirrorStatusDto>("api/mirror/status", cancellationToken)
            ?? throw new InvalidOperationException("GET /api/mirror/status answered nothing.");
    }

    private sealed record MirrorStatusDto(string State, long? LastMirroredPosition, long LagEvents, long ParkedCount, long Mirrored, long DuplicatesSkipped, string? LastError);
}
