using AuditDashboard.Adapters.Embedded;

namespace AuditDashboard.EndToEnd.Hosting;

/// <summary>The <c>seed</c> command writes volume data into the configured store, sharing the app's configuration.</summary>
public sealed class SeedCommandTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 90_000)]
    public async Task Seed_TwentyAccountsOfFiftyEvents_ReportsProgressAndWritesThemAll()
    {
        using var folder = new TempFolder();

        await using var seed = AppCommand.StartTool(folder.DatabasePath, "seed", "--accounts", "20", "--events-per-account", "50");
        await WaitForExitAsync(seed, TestContext.Current.CancellationToken);

        output.WriteLine(seed.Describe());
        Assert.True(seed.ExitCode == 0, $"seed exited with {seed.ExitCode}.\n{seed.Describe()}");
        Assert.Contains("Seeding 20 accounts × 50 events = 1,000 events", seed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1,000 / 1,000 events (100%)", seed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Wrote 1,000 events for 20 accounts", seed.StandardOutput, StringComparison.Ordinal);

        var streams = await CountEventsByStreamAsync(folder.DatabasePath);
        Assert.Equal(20, streams.Count);
        Assert.All(streams.Values, count => Assert.Equal(50, count));
        Assert.Equal(Enumerable.Range(100001, 20).Select(n => $"{AccountIds.StreamPrefix}ACC-{n}"), streams.Keys.Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = 90_000)]
    public async Task Seed_TwoGroupsOfAccounts_WritesThemInterleavedInTimeOrder_EachHistorySpreadOverMonths()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var folder = new TempFolder();

        await using var seed = AppCommand.StartTool(folder.DatabasePath, "seed", "--accounts", "5", "--events-per-account", "40", "--accounts", "1", "--events-per-account", "300");
        await WaitForExitAsync(seed, cancel);

        Assert.True(seed.ExitCode == 0, $"seed exited with {seed.ExitCode}.\n{seed.Describe()}");
        Assert.Contains("Seeding 5 accounts × 40 events + 1 accounts × 300 events = 500 events", seed.StandardOutput, StringComparison.Ordinal);
        await using var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={folder.DatabasePath}"));
        await store.InitializeAsync(cancel);
        var events = await store.ReadAllAsync(Direction.Forwards, AllPosition.Start, long.MaxValue, cancellationToken: cancel).ToListAsync(cancel);
        var counts = events.GroupBy(e => e.StreamId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([40, 40, 40, 40, 40, 300], Enumerable.Range(100001, 6).Select(n => counts.GetValueOrDefault($"{AccountIds.StreamPrefix}ACC-{n}")));

        // Written in the order the events happened across accounts, not account after account: the stream changes often
        // along $all, the recorded time never goes back, and every account's history spans months.
        var switches = events.Zip(events.Skip(1)).Count(pair => pair.First.StreamId != pair.Second.StreamId);
        Assert.True(switches > 20, $"The stream changes {switches} times along $all: the accounts were written one after another.");
        Assert.All(events.Zip(events.Skip(1)), pair => Assert.True(pair.Second.Created >= pair.First.Created, $"The recorded time goes back at position {pair.Second.Position}."));
        Assert.All(events.GroupBy(e => e.StreamId), history =>
            Assert.True(history.Max(e => e.Created) - history.Min(e => e.Created) > TimeSpan.FromDays(60), $"{history.Key}'s history spans less than 60 days."));
    }

    [Fact(Timeout = 60_000)]
    public async Task Seed_WithAnAccountCountThatIsNoNumber_ExitsTwoWithUsage()
    {
        using var folder = new TempFolder();

        await using var seed = AppCommand.StartTool(folder.DatabasePath, "seed", "--accounts", "x");
        await WaitForExitAsync(seed, TestContext.Current.CancellationToken);

        Assert.True(seed.ExitCode == 2, $"seed exited with {seed.ExitCode}, not 2.\n{seed.Describe()}");
        Assert.Contains("--accounts needs a whole number", seed.StandardError, StringComparison.Ordinal);
        Assert.Contains("Usage:", seed.StandardError, StringComparison.Ordinal);
        Assert.Contains("seed --accounts N --events-per-account M", seed.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.DatabasePath), "A refused command line must not create the store.");
    }

    [Fact(Timeout = 90_000)]
    public async Task Seed_OutsideDevelopment_IntoAStoreThatDoesNotExist_SaysHowToCreateIt_AndCreatesItWhenAsked()
    {
        using var folder = new TempFolder();
        var missing = Path.Combine(folder.Path, "tpyo", "audit.db");
        string[] seed = ["seed", "--accounts", "2", "--events-per-account", "5", "--environment", "Production"];

        await using var refused = AppCommand.StartTool(missing, seed);
        await WaitForExitAsync(refused, TestContext.Current.CancellationToken);
        await using var created = AppCommand.StartTool(missing, [.. seed, "--EventStore:CreateIfMissing=true"]);
        await WaitForExitAsync(created, TestContext.Current.CancellationToken);

        Assert.True(refused.ExitCode == 1, $"seed exited with {refused.ExitCode}, not 1.\n{refused.Describe()}");
        Assert.Contains($"'{missing}' does not exist", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("set EventStore:CreateIfMissing=true", refused.StandardError, StringComparison.Ordinal);
        Assert.True(created.ExitCode == 0, $"seed exited with {created.ExitCode}.\n{created.Describe()}");
        Assert.Equal(2, (await CountEventsByStreamAsync(missing)).Count);
    }

    private static async Task WaitForExitAsync(ChildProcess process, CancellationToken cancellationToken)
    {
        if (!await process.WaitForExitAsync(ExitBound, cancellationToken))
            Assert.Fail($"The command did not finish within {ExitBound.TotalSeconds:0} s.\n{process.Describe()}");
    }

    /// <summary>Every event in $all, counted per stream, read through the store as the dashboard reads it.</summary>
    private static async Task<Dictionary<string, int>> CountEventsByStreamAsync(string databasePath)
    {
        await using var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={databasePath}"));
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var e in store.ReadAllAsync(Direction.Forwards, AllPosition.Start, long.MaxValue, cancellationToken: TestContext.Current.CancellationToken))
            counts[e.StreamId] = counts.GetValueOrDefault(e.StreamId) + 1;
        return counts;
    }
}
