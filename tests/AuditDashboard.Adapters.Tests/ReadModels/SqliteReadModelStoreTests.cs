using AuditDashboard.Adapters.ReadModels;
using AuditDashboard.Core.ReadModels;
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
