using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Adapters.EventStoreDb;
using AuditDashboard.Adapters.Integrity;
using AuditDashboard.Core.Integrity;
using AuditDashboard.Integrity;

namespace AuditDashboard.Hosting;

/// <summary>The files of ledger integrity: where the sealed leaves' records are kept and how they are opened, and the seal file sink.</summary>
internal static class IntegrityFiles
{
    /// <summary>
    /// The configured leaf file, or the default: beside the store's file (embedded), or in the data folder named after the
    /// EventStoreDB nodes, so that dashboards in one folder over different servers keep their own records instead of taking
    /// turns rebuilding (or waiting on) one file.
    /// </summary>
    public static string LeafFilePath(IntegrityOptions options, IEventStore store, IHostEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(options.LeafFile))
            return Path.IsPathRooted(options.LeafFile) ? options.LeafFile : Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.LeafFile));
        return store switch
        {
            SqliteEventStore sqlite => Path.ChangeExtension(sqlite.FilePath, ".leaves"),
            EventStoreDbEventStore esdb => Path.Combine(environment.ContentRootPath, "data", $"ledger-{NodesId(esdb.Hosts)}.leaves"),
            _ => Path.Combine(environment.ContentRootPath, "data", "ledger.leaves"),
        };
    }

    /// <summary>Eight hex digits that stand for the set of nodes, in whatever order the connection string names them.</summary>
    private static string NodesId(IEnumerable<EsdbEndpoint> hosts)
    {
        var names = string.Join(',', hosts.Select(h => h.ToString().ToUpperInvariant()).Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(names)).AsSpan(0, 4));
    }

    /// <summary>Opens (or creates) the leaf records for the one sealer; throws <see cref="IOException"/> when another process writes them.</summary>
    public static ILeafFile OpenLeavesForWriting(string path) => LeafFile.OpenForWriting(path);

    /// <summary>Opens existing leaf records for reading beside their writer; null when there are none.</summary>
    public static ILeafFile? OpenLeavesForReading(string path) => LeafFile.OpenForReading(path);

    /// <summary>Appends each seal as a synced JSON line to <paramref name="path"/> (relative to the content root).</summary>
    public static ISealSink SealFile(string path, IHostEnvironment environment) =>
        new FileSealSink(Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(environment.ContentRootPath, path)));

    /// <summary>Posts each seal to <paramref name="url"/>, asking again after 1, 2 and 4 s while the receiver is down or busy.</summary>
    public static ISealSink SealWebhook(Uri url, string? bearerToken, TimeSpan timeout) =>
        new WebhookSealSink(url, bearerToken, timeout, firstRetryDelay: TimeSpan.FromSeconds(1));
}
