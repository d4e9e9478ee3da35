using System.Globalization;
using System.Net;
using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Core.Integrity;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.EndToEnd.Integrity;

/// <summary>
/// The ledger's history edited in its SQLite file while the dashboard is stopped, as an attacker with file access would:
/// <c>verify-ledger</c> exits 1 naming the first event that no longer matches, and the dashboard, started again, answers
/// <c>/health/ready</c> with 503 and shows a red banner on its pages naming the same position, stream and revision.
/// </summary>
public sealed class TamperedLedgerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public enum Tampering
    {
        DataByte,
        MetadataByte,
        Deleted,
        Inserted,
        Swapped,
    }

    [Theory(Timeout = 240_000)]
    [InlineData(Tampering.DataByte)]
    [InlineData(Tampering.MetadataByte)]
    [InlineData(Tampering.Deleted)]
    [InlineData(Tampering.Inserted)]
    [InlineData(Tampering.Swapped)]
    public async Task EditedLedger_IsFoundByVerifyLedger_AndByTheRunningDashboard_NamingTheFirstPosition(Tampering tampering)
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var app = new AppProcess { SeedDemoData = false, Settings = Settings };
        var events = await SeedAsync(app.DatabasePath, cancel);
        await app.StartAsync();
        await WaitUntilSealedAsync(app.DatabasePath, events.Count, cancel);
        await app.KillAsync();
        var target = events[events.Count / 2];
        var (position, streamId, revision) = await TamperAsync(app.DatabasePath, tampering, target, events, cancel);

        var (exitCode, stdout, stderr) = await VerifyLedgerAsync(app.DatabasePath, cancel);

        Assert.True(exitCode == 1, $"verify-ledger exited {exitCode}.\n{stdout}\n{stderr}");
        Assert.Contains($"first event that does not match: position {position}, stream {streamId}, revision {revision}", stderr, StringComparison.Ordinal);

        var port = FreePort.Next();
        await using var restarted = AppCommand.StartServer(app.DatabasePath, seedDemoData: false, port, Settings);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        var readiness = await WaitForReadinessAsync(http, restarted, HttpStatusCode.ServiceUnavailable, cancel);
        Assert.Contains($"position {position}", readiness, StringComparison.Ordinal);

        using var page = new HttpRequestMessage(HttpMethod.Get, "accounts");
        page.Headers.Add("X-Api-Key", AppCommand.OperatorApiKey);
        using var response = await http.SendAsync(page, cancel);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(cancel));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"integrity-banner\"", html, StringComparison.Ordinal);
        Assert.Contains($"position {position}", html, StringComparison.Ordinal);
        Assert.Contains($"stream {streamId}, revision {revision}", html, StringComparison.Ordinal);
        Assert.Contains("The ledger does not match its seals", restarted.StandardOutput + restarted.StandardError, StringComparison.Ordinal);
    }

    [Fact(Timeout = 180_000)]
    public async Task IntactLedger_IsSealedOnFirstStart_AndVerifiesWithConsistencyBetweenSeals()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var app = new AppProcess { SeedDemoData = false, Settings = Settings };
        var events = await SeedAsync(app.DatabasePath, cancel);
        await app.StartAsync();
        var seals = await WaitUntilSealedAsync(app.DatabasePath, events.Count, cancel);
        await app.KillAsync();

        var (exitCode, stdout, stderr) = await VerifyLedgerAsync(app.DatabasePath, cancel);
        var (consistencyExit, consistency, consistencyError) = await VerifyLedgerAsync(app.DatabasePath, cancel, "--consistency", "1", seals[^1].Number.ToString(CultureInfo.InvariantCulture));

        Assert.True(exitCode == 0, $"verify-ledger exited {exitCode}.\n{stdout}\n{stderr}");
        Assert.Contains($"Intact: {events.Count} events match {seals.Count} seals", stdout, StringComparison.Ordinal);
        Assert.True(consistencyExit == 0, $"verify-ledger --consistency exited {consistencyExit}.\n{consistency}\n{consistencyError}");
        Assert.Contains($"Consistent: seal {seals[^1].Number}'s ledger extends seal 1's.", consistency, StringComparison.Ordinal);
    }

    // Small seals, so that a ledger of a few dozen events has several; no Kafka, which these tests do not need.
    private static Dictionary<string, string> Settings => new()
    {
        ["Integrity__Seal__EveryEvents"] = "7",
        ["Kafka__Enabled"] = "false",
    };

    /// <summary>Four accounts of seven events, one append per event, so positions interleave across streams.</summary>
    private static async Task<List<RecordedEvent>> SeedAsync(string databasePath, CancellationToken cancellationToken)
    {
        await using var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={databasePath}"));
        await store.InitializeAsync(cancellationToken);
        string[] accounts = ["INT-0001", "INT-0002", "INT-0003", "INT-0004"];
        foreach (var account in accounts)
            await Append(account, new AccountOpened(account, "Owner of " + account, "GBP"));
        for (var i = 0; i < 6; i++)
        {
            foreach (var account in accounts)
                await Append(account, new FundsDeposited(935.68m + i, "GBP", $"DEP-{i}"));
        }

        var events = new List<RecordedEvent>();
        await foreach (var e in store.ReadAllAsync(Direction.Forwards, AllPosition.Start, long.MaxValue, cancellationToken: cancellationToken))
            events.Add(e);
        return events;

        Task Append(string account, AccountEvent accountEvent) => store.AppendAsync(AccountIds.StreamOf(account), ExpectedRevision.Any,
            [AccountEventCodec.Encode(Guid.NewGuid(), accountEvent, new EventMetadata("teller", "Integrity test", Guid.NewGuid().ToString("N"), null, "tests"))],
            cancellationToken);
    }

    private static async Task<IReadOnlyList<LedgerSeal>> WaitUntilSealedAsync(string databasePath, int leaves, CancellationToken cancellationToken)
    {
        await using var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={databasePath}"));
        await store.InitializeAsync(cancellationToken);
        IReadOnlyList<LedgerSeal> seals = [];
        await Eventually.UntilAsync(
            async ct =>
            {
                (seals, _) = await LedgerSeals.ReadAsync(store, ct);
                return seals.Count > 0 && seals[^1].TreeSize == leaves;
            },
            $"a seal over {leaves} leaves",
            Bound,
            cancellationToken,
            () => $"{seals.Count} seals, the last over {(seals.Count > 0 ? seals[^1].TreeSize : 0)} leaves");
        return seals;
    }

    /// <summary>Edits the file with plain SQL and returns the position, stream and revision the checks must name.</summary>
    private static async Task<(long Position, string StreamId, long Revision)> TamperAsync(
        string databasePath, Tampering tampering, RecordedEvent target, List<RecordedEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync(cancellationToken);
        switch (tampering)
        {
            case Tampering.DataByte:
                await FlipByteAsync(connection, "data", target, "\"amount\":9", "\"amount\":99", cancellationToken);
                return (target.Position, target.StreamId, target.Revision);
            case Tampering.MetadataByte:
                await FlipByteAsync(connection, "metadata", target, "teller", "tellar", cancellationToken);
                return (target.Position, target.StreamId, target.Revision);
            case Tampering.Deleted:
                await ExecuteAsync(connection, $"DELETE FROM events WHERE position = {target.Position}", cancellationToken);
                var next = events[events.IndexOf(target) + 1];
                return (target.Position, next.StreamId, next.Revision);
            case Tampering.Inserted:
                // Room is made by moving every later event one position on, then a forged deposit takes the freed place.
                await ExecuteAsync(connection, $"UPDATE events SET position = position + 1000000 WHERE position >= {target.Position}", cancellationToken);
                await ExecuteAsync(connection, $"UPDATE events SET position = position - 999999 WHERE position >= 1000000", cancellationToken);
                await ExecuteAsync(connection, $"""
                    INSERT INTO events (position, stream_id, revision, event_id, event_type, data, metadata, created)
                    SELECT {target.Position}, 'account-INT-9999', 0, randomblob(16), event_type, data, metadata, created FROM events WHERE position = {target.Position + 1}
                    """, cancellationToken);
                return (target.Position, "account-INT-9999", 0);
            case Tampering.Swapped:
                var after = events[events.IndexOf(target) + 1];
                await ExecuteAsync(connection, $"UPDATE events SET position = -1 WHERE position = {target.Position}", cancellationToken);
                await ExecuteAsync(connection, $"UPDATE events SET position = {target.Position} WHERE position = {after.Position}", cancellationToken);
                await ExecuteAsync(connection, $"UPDATE events SET position = {after.Position} WHERE position = -1", cancellationToken);
                return (target.Position, after.StreamId, after.Revision);
            default:
                throw new ArgumentOutOfRangeException(nameof(tampering));
        }
    }

    private static async Task FlipByteAsync(SqliteConnection connection, string column, RecordedEvent target, string from, string to, CancellationToken cancellationToken)
    {
        var original = System.Text.Encoding.UTF8.GetString((column == "data" ? target.Data : target.Metadata).Span);
        Assert.Contains(from, original, StringComparison.Ordinal);
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE events SET {column} = $value WHERE position = $position";
        command.Parameters.AddWithValue("$value", System.Text.Encoding.UTF8.GetBytes(original.Replace(from, to, StringComparison.Ordinal)));
        command.Parameters.AddWithValue("$position", target.Position);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(cancellationToken));
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> VerifyLedgerAsync(string databasePath, CancellationToken cancellationToken, params string[] more)
    {
        await using var tool = AppCommand.StartTool(databasePath, ["verify-ledger", .. more]);
        Assert.True(await tool.WaitForExitAsync(Bound, cancellationToken), tool.Describe());
        output.WriteLine(tool.Describe());
        return (tool.ExitCode, tool.StandardOutput, tool.StandardError);
    }

    private static async Task<string> WaitForReadinessAsync(HttpClient http, ChildProcess app, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Bound);
        var last = "";
        try
        {
            while (true)
            {
                Assert.False(app.HasExited, app.Describe());
                try
                {
                    using var response = await http.GetAsync("health/ready", timeout.Token);
                    last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(timeout.Token)}";
                    if (response.StatusCode == expected)
                        return last;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(200, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"/health/ready did not answer {(int)expected} within {Bound.TotalSeconds:0} s; last: {last}\n{app.Describe()}");
        }
    }
}
