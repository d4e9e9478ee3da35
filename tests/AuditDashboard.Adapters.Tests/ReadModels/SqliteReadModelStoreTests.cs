using System.Globalization;
using AuditDashboard.Adapters.ReadModels;
using AuditDashboard.Core.ReadModels;
using AuditDashboard.Core.Search;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.Tests.ReadModels;

/// <summary>What the embedded read-model store does with the file it finds: another schema, a damaged file, a folder it cannot use.</summary>
public sealed class SqliteReadModelStoreTests : IDisposable
{
    private readonly TempFolder _directory = new();

    private string FilePath => _directory.File("readmodels.db");

    private static CancellationToken TestCancellation => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Open_OnAFileOfAnotherSchemaVersion_RebuildsIt_AndSaysWhy()
    {
        await WriteOneAccountAsync();
        await using (var connection = new SqliteConnection($"Data Source={FilePath};Pooling=false"))
        {
            await connection.OpenAsync(TestCancellation);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            await command.ExecuteNonQueryAsync(TestCancellation);
        }

        await using var store = new SqliteReadModelStore(FilePath);
        var opening = await store.OpenAsync("ledger", TestCancellation);

        Assert.True(opening.Created);
        Assert.Equal($"their schema is version 99 and this build writes version {SqliteReadModelStore.SchemaVersion}", opening.RebuildReason);
        Assert.Null(await store.ReadCheckpointAsync(AccountDirectory.ProjectionName, TestCancellation));
        Assert.Equal(0, await store.CountAccountsAsync(TestCancellation));
    }

    [Fact]
    public async Task AFirstBuild_WritesTheEventRowsAlone_AndMakesTheirLookupsWhenItCompletes_AgainAfterAClear()
    {
        var e = new IndexedEvent(1, "ACC-1", 0, Guid.NewGuid(), AccountEventTypes.FundsDeposited, "sam", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
            5m, "EUR", "TRX-1", null, null, "teller", "Salary", false);
        await using var store = new SqliteReadModelStore(FilePath);
        await store.OpenAsync("ledger", TestCancellation);
        for (var round = 0; round < 2; round++)
        {
            await using (var transaction = await store.BeginAsync(TestCancellation))
            {
                await transaction.PutEventsAsync([e], TestCancellation);
                await transaction.SetCheckpointAsync(AccountDirectory.ProjectionName, 1, TestCancellation);
                await transaction.CommitAsync(TestCancellation);
            }

            // Not searched before its lookups exist: it would read every row.
            Assert.Equal(["events_words"], await EventLookupsAsync());
            Assert.Empty((await store.SearchEventsAsync(new EventQuery(), TestCancellation)).Items);

            await store.CompleteFirstBuildAsync(TestCancellation);

            Assert.Equal(
                ["events_by_account", "events_by_actor", "events_by_causation", "events_by_correlation", "events_by_recorded", "events_by_reference", "events_by_type", "events_flagged", "events_words"],
                await EventLookupsAsync());
            Assert.Equal([1L], (await store.SearchEventsAsync(new EventQuery { Text = "salary" }, TestCancellation)).Items.Select(found => found.Position));
            await store.ClearAsync(TestCancellation);
        }
    }

    [Fact]
    public async Task AFirstBuild_WritesAccountsWithoutTheirTextIndexes_FindsThemInTheRows_AndMakesTheIndexesWhenItCompletes()
    {
        static AccountState Account(string id, string? owner, long revision) =>
            new(id, owner, "EUR", 1m, AccountStatus.Open, revision, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, (int)revision + 1);
        await using var store = new SqliteReadModelStore(FilePath);
        await store.OpenAsync("ledger", TestCancellation);
        async Task PutAsync(long checkpoint, params AccountState[] accounts)
        {
            await using var transaction = await store.BeginAsync(TestCancellation);
            await transaction.PutAccountsAsync(accounts, TestCancellation);
            await transaction.SetCheckpointAsync(AccountDirectory.ProjectionName, checkpoint, TestCancellation);
            await transaction.CommitAsync(TestCancellation);
        }

        async Task<string[]> FoundAsync(string term) =>
            [.. (await store.SearchAccountsAsync(new AccountQuery(term), TestCancellation)).Items.Select(a => a.AccountId)];

        // While the build runs: rows alone, and a search reads them.
        await PutAsync(1, Account("ACC-1", "Ana Lima", 0), Account("ACC-2", "Bea Costa", 0), Account("XYZ-3", null, 0));
        await PutAsync(2, Account("ACC-2", "Bea Lima", 1));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM account_grams"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"));
        Assert.Equal(["ACC-1", "ACC-2"], await FoundAsync("LIMA"));
        Assert.Equal(["XYZ-3"], await FoundAsync("yz-"));

        await store.CompleteFirstBuildAsync(TestCancellation);

        // The indexes hold every row as the triggers would have kept them, and the triggers keep them from then on.
        Assert.Equal(["ACC-1", "ACC-2"], await FoundAsync("lima"));
        await PutAsync(3, Account("ACC-1", "Carl Mota", 1), Account("ACC-4", "Dora Lima", 0));
        Assert.Equal(["ACC-2", "ACC-4"], await FoundAsync("lima"));
        Assert.Equal(["ACC-1"], await FoundAsync("mota"));
        Assert.Equal(["XYZ-3"], await FoundAsync("yz-"));
        foreach (var index in new[] { "accounts_text", "owners_text", "events_words" })
            await ExecuteAsync($"INSERT INTO {index} ({index}) VALUES ('integrity-check')");
        Assert.Equal(0, await ScalarAsync("""
            SELECT count(*) FROM (
                SELECT gram, account_id FROM account_grams
                EXCEPT SELECT DISTINCT lower(substr(account_id, i, 3)), account_id FROM accounts JOIN gram_offsets ON i <= length(account_id) - 2)
            """));
        Assert.Equal(4 * 3, await ScalarAsync("SELECT count(*) FROM account_grams"));
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={FilePath};Pooling=false;Mode=ReadOnly");
        await connection.OpenAsync(TestCancellation);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestCancellation), CultureInfo.InvariantCulture);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={FilePath};Pooling=false");
        await connection.OpenAsync(TestCancellation);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestCancellation);
    }

    // The indexes of the event index and its words table, by name.
    private async Task<List<string>> EventLookupsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={FilePath};Pooling=false;Mode=ReadOnly");
        await connection.OpenAsync(TestCancellation);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE (type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL) OR name = 'events_words' ORDER BY name";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestCancellation);
        while (await reader.ReadAsync(TestCancellation))
            names.Add(reader.GetString(0));
        return names;
    }

    [Fact]
    public async Task Open_OnAFileThatIsNotADatabase_RebuildsIt_AndSaysWhy()
    {
        await File.WriteAllTextAsync(FilePath, new string('x', 8192), TestCancellation);

        await using var store = new SqliteReadModelStore(FilePath);
        var opening = await store.OpenAsync("ledger", TestCancellation);

        Assert.True(opening.Created);
        Assert.StartsWith("the file was damaged or not a database", opening.RebuildReason, StringComparison.Ordinal);
        Assert.Equal(0, await store.CountAccountsAsync(TestCancellation));
    }

    [Fact]
    public async Task Open_WhereTheFileCannotBeCreated_ThrowsOneMessageNamingIt()
    {
        // A regular file where the read models' folder should be: no account, root included, can create a file in it.
        var blocker = _directory.File("not-a-folder");
        await File.WriteAllTextAsync(blocker, "", TestCancellation);
        var path = Path.Combine(blocker, "readmodels.db");

        await using var store = new SqliteReadModelStore(path);
        var error = await Assert.ThrowsAsync<ReadModelStoreUnavailableException>(() => store.OpenAsync("ledger", TestCancellation));

        Assert.Contains($"The read-model file '{path}' cannot be written", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Reopen_KeepsRowsAndCheckpoint_AndSearchIndex()
    {
        await WriteOneAccountAsync();

        await using var store = new SqliteReadModelStore(FilePath);
        var opening = await store.OpenAsync("ledger", TestCancellation);

        Assert.False(opening.Created);
        Assert.Equal(3, await store.ReadCheckpointAsync(AccountDirectory.ProjectionName, TestCancellation));
        Assert.Equal(["ACC-1"], (await store.SearchAccountsAsync(new AccountQuery("lima"), TestCancellation)).Items.Select(a => a.AccountId));
    }

    private async Task WriteOneAccountAsync()
    {
        await using var store = new SqliteReadModelStore(FilePath);
        await store.OpenAsync("ledger", TestCancellation);
        await using var transaction = await store.BeginAsync(TestCancellation);
        await transaction.PutAccountsAsync([AccountState.Initial("ACC-1") with { Owner = "Ana Lima", Revision = 0, EventCount = 1 }], TestCancellation);
        await transaction.SetCheckpointAsync(AccountDirectory.ProjectionName, 3, TestCancellation);
        await transaction.CommitAsync(TestCancellation);
    }
}
