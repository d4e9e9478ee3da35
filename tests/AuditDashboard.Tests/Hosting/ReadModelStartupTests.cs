using AuditDashboard.Core.ReadModels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace AuditDashboard.Tests.Hosting;

/// <summary>
/// What the real app does with its read-model file at start: none (built from the ledger), one of another schema
/// (rebuilt, with a log line), one it may not write (start-up stops with one line naming it), one already built
/// (resumed). Each test makes a real SQLite ledger and starts the app in memory over it.
/// </summary>
public sealed class ReadModelStartupTests : IDisposable
{
    private const int Accounts = 12;
    private readonly TempFolder _folder = new();

    private string ReadModelPath => Path.Combine(_folder.Path, "readmodels.db");

    public void Dispose() => _folder.Dispose();

    [Fact(Timeout = 120_000)]
    public async Task Start_WithoutAReadModelFile_BuildsItBesideTheLedger_AndAfterItIsDeletedBuildsItAgain()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await WriteLedgerAsync(cancellationToken);
        var first = await RunUntilCaughtUpAsync(cancellationToken);
        File.Delete(ReadModelPath);

        var second = await RunUntilCaughtUpAsync(cancellationToken);

        Assert.Equal(Accounts, first.Total);
        Assert.Equal(Accounts, second.Total);
        Assert.True(File.Exists(ReadModelPath));
        Assert.Contains(second.Logs, e => e.Message == $"Building the read models in '{ReadModelPath}' from the ledger");
    }

    [Fact(Timeout = 120_000)]
    public async Task Start_OnReadModelsAlreadyBuilt_ResumesFromTheirCheckpoint()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await WriteLedgerAsync(cancellationToken);
        await RunUntilCaughtUpAsync(cancellationToken);

        var again = await RunUntilCaughtUpAsync(cancellationToken);

        Assert.Equal(Accounts, again.Total);
        Assert.Contains(again.Logs, e => e.Message == $"Resuming the read models in '{ReadModelPath}' from their checkpoints");
        Assert.Equal(0, again.EventsApplied);
    }

    [Fact(Timeout = 120_000)]
    public async Task Start_OnAReadModelFileOfAnotherSchema_RebuildsIt_AndLogsWhy()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await WriteLedgerAsync(cancellationToken);
        await RunUntilCaughtUpAsync(cancellationToken);
        await using (var connection = new SqliteConnection($"Data Source={ReadModelPath};Pooling=false"))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var rebuilt = await RunUntilCaughtUpAsync(cancellationToken);

        Assert.Equal(Accounts, rebuilt.Total);
        var logged = Assert.Single(rebuilt.Logs, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Rebuilding the read models", StringComparison.Ordinal));
        Assert.Equal($"Rebuilding the read models in '{ReadModelPath}' from the ledger: their schema is version 99 and this build writes version {AuditDashboard.Adapters.ReadModels.SqliteReadModelStore.SchemaVersion}", logged.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_WhenTheReadModelFileCannotBeWritten_StopsWithOneLineNamingIt()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await WriteLedgerAsync(cancellationToken);
        await RunUntilCaughtUpAsync(cancellationToken);
        using var readOnly = ReadOnlyFile.Make(ReadModelPath);
        var factory = new DashboardFactory(Settings());

        var failure = await Record.ExceptionAsync(() => StartupChecks.StartAsync(factory, cancellationToken));
        await Eventually.UntilAsync(() => factory.Logs.Entries.Any(e => e.Level == LogLevel.Critical), "the start-up guard's critical report", TimeSpan.FromSeconds(5), cancellationToken);

        Assert.NotNull(failure);
        var report = Assert.Single(factory.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.StartsWith($"The read models are not usable: The read-model file '{ReadModelPath}' cannot be written", report.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', report.Message);
        await StartupChecks.DisposeAfterFailedStartAsync(factory);
    }

    [Fact(Timeout = 120_000)]
    public async Task Ready_BeforeTheDirectoryAndTheFeedHaveCaughtUp_IsUnhealthySayingSo_AndHealthyOnceBothHave()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await WriteLedgerAsync(cancellationToken);
        await using var ledger = await Ledger.OpenStoreAsync(_folder, cancellationToken);
        var directory = new AccountDirectory();
        var check = new AuditDashboard.Hosting.ReadModelHealthCheck(directory);

        var before = await check.CheckHealthAsync(new HealthCheckContext(), cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var following = directory.FollowAsync(ledger, TimeProvider.System, TimeSpan.FromMilliseconds(50), stop.Token);
        await directory.ProjectionCaughtUp.WaitAsync(Ledger.Patience, cancellationToken);
        var feedBehind = await check.CheckHealthAsync(new HealthCheckContext(), cancellationToken);
        directory.MarkCaughtUp();
        var after = await check.CheckHealthAsync(new HealthCheckContext(), cancellationToken);
        await stop.CancelAsync();
        await following;

        Assert.Equal(HealthStatus.Unhealthy, before.Status);
        Assert.StartsWith("catching up: ", before.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, feedBehind.Status);
        Assert.Contains("the ledger feed is reading", feedBehind.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, after.Status);
    }

    [Fact(Timeout = 120_000)]
    public async Task ListAccounts_AfterTheLastIdOfAPage_ReturnsTheNextPage_AndNamesTheOneAfter()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await WriteLedgerAsync(cancellationToken);
        await using var factory = new DashboardFactory(Settings());
        await StartupChecks.StartAsync(factory, cancellationToken);
        await factory.Services.GetRequiredService<AccountDirectory>().ProjectionCaughtUp.WaitAsync(Ledger.Patience * 3, cancellationToken);
        using var client = factory.CreateApiClient(DashboardFactory.OperatorKey);

        using var first = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/accounts?search=RM-&take=5", UriKind.Relative), cancellationToken));
        var next = first.RootElement.GetProperty("next").GetString();
        using var second = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/accounts?search=RM-&take=5&after={next}", UriKind.Relative), cancellationToken));
        using var last = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/accounts?search=RM-&take=5&after=RM-0010", UriKind.Relative), cancellationToken));
        using var bad = await client.GetAsync(new Uri("/api/accounts?after=not%20an%20id", UriKind.Relative), cancellationToken);

        Assert.Equal("RM-0005", next);
        Assert.Equal(["RM-0006", "RM-0007", "RM-0008", "RM-0009", "RM-0010"], Ids(second));
        Assert.Equal("RM-0010", second.RootElement.GetProperty("next").GetString());
        Assert.Equal(["RM-0011", "RM-0012"], Ids(last));
        Assert.Equal(JsonValueKind.Null, last.RootElement.GetProperty("next").ValueKind);
        Assert.Equal(Accounts, last.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static List<string?> Ids(JsonDocument page) =>
        [.. page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("accountId").GetString())];

    private Dictionary<string, string?> Settings() => new()
    {
        ["EventStore:ConnectionString"] = _folder.ConnectionString,
        ["DemoData:SeedOnFirstStart"] = "false",
        ["Kafka:Enabled"] = "false",
    };

    /// <summary>Starts the app, waits until its directory has caught up, and stops it: what it listed and logged.</summary>
    private async Task<Run> RunUntilCaughtUpAsync(CancellationToken cancellationToken)
    {
        await using var factory = new DashboardFactory(Settings());
        await StartupChecks.StartAsync(factory, cancellationToken);
        var directory = factory.Services.GetRequiredService<AccountDirectory>();
        await directory.ProjectionCaughtUp.WaitAsync(Ledger.Patience * 3, cancellationToken);
        var page = await directory.SearchAsync(new AccountQuery(null), cancellationToken);
        return new Run(page.Total, directory.Progress.EventsApplied, [.. factory.Logs.Entries]);
    }

    private async Task WriteLedgerAsync(CancellationToken cancellationToken)
    {
        await using var store = await Ledger.OpenStoreAsync(_folder, cancellationToken);
        for (var a = 1; a <= Accounts; a++)
            await Ledger.OpenAsync(store, $"RM-{a:0000}", $"Owner {a}", "EUR", 10m * a, cancellationToken);
    }

    private sealed record Run(int Total, long EventsApplied, List<CapturedLogs.LogEntry> Logs);
}
