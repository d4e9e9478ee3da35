using System.ComponentModel.DataAnnotations;

namespace AuditDashboard.Adapters.Embedded;

/// <summary>Settings of the embedded (SQLite file) event store.</summary>
public sealed class EmbeddedStoreOptions
{
    public const string DefaultConnectionString = "Data Source=data/audit.db";

    public EmbeddedStoreOptions()
    {
    }

    public EmbeddedStoreOptions(string connectionString) => ConnectionString = connectionString;

    /// <summary>
    /// A SQLite connection string (<c>Data Source=data/audit.db</c>) or just the path of the file.
    /// A relative path is resolved against the current directory; a missing folder is created when
    /// <see cref="CreateIfMissing"/> allows it.
    /// </summary>
    [Required]
    public string ConnectionString { get; set; } = DefaultConnectionString;

    /// <summary>
    /// Whether opening a file that does not exist (or is empty: 0 bytes) creates a new, empty store there. When false such
    /// a file is refused with a message naming the path, so a mistyped path is not taken for an empty ledger.
    /// </summary>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>
    /// Opens the file read-only on purpose: reads work, every append is refused with an
    /// <see cref="EventStoreReadOnlyException"/>, and nothing is created or upgraded. When false the store
    /// proves at start that it can write the file, and refuses to start when it cannot.
    /// </summary>
    public bool ReadOnly { get; set; }

    /// <summary>How long a write or read waits for another process (e.g. a seeding command) that holds the file's lock.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long start-up waits for a file locked by another process before it reports the store unavailable.
    /// Kept short so a dashboard started twice on the same file says so at once instead of hanging.
    /// The driver retries in whole seconds, so a timeout under a second waits a little over one second.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How often a live subscription looks for events written by other processes. Appends made through this
    /// store instance wake subscribers at once; polling is only for writers elsewhere.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Rows fetched per query when reading or catching up; no read transaction outlives one page.</summary>
    [Range(1, 10_000)]
    public int ReadPageSize { get; set; } = 500;
}
