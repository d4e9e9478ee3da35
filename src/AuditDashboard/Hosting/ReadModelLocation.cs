using Microsoft.Data.Sqlite;

namespace AuditDashboard.Hosting;

/// <summary>Where the read-model file is: configured, else beside the embedded ledger, else under the content root.</summary>
internal static class ReadModelLocation
{
    public const string FileName = "readmodels.db";

    public static string Resolve(ReadModelOptions readModels, EventStoreOptions eventStore, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(readModels.ConnectionString))
        {
            var configured = readModels.ConnectionString.Contains('=', StringComparison.Ordinal)
                ? new SqliteConnectionStringBuilder(readModels.ConnectionString).DataSource
                : readModels.ConnectionString;
            return Path.GetFullPath(Path.Combine(contentRoot, configured));
        }

        if (eventStore.Provider == EventStoreProvider.Embedded)
        {
            var ledger = new SqliteConnectionStringBuilder(EventStoreFactory.ResolveSqlitePath(eventStore.ConnectionString, contentRoot)).DataSource;
            if (ledger != ":memory:" && Path.GetDirectoryName(ledger) is { Length: > 0 } folder)
                return Path.Combine(folder, FileName);
        }

        return Path.GetFullPath(Path.Combine(contentRoot, "data", FileName));
    }
}
