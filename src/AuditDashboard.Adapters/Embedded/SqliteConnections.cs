using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.Embedded;

/// <summary>
/// Which file the embedded store uses and how it opens it, read from the options: the writer's connection string (one
/// long-lived connection) and the readers' (short-lived, pooled).
/// </summary>
internal sealed class SqliteConnections
{
    public SqliteConnections(EmbeddedStoreOptions options)
    {
        Validate(options);
        var builder = ParseConnectionString(options.ConnectionString);
        FilePath = builder.DataSource;
        var readOnly = options.ReadOnly || builder.Mode == SqliteOpenMode.ReadOnly;
        ReadOnly = readOnly;

        // Besides SQLite's own busy_timeout (set on the writer), Microsoft.Data.Sqlite retries busy statements until
        // this many whole seconds have passed; 0 would mean forever, hence at least 1.
        builder.DefaultTimeout = WholeSeconds(options.BusyTimeout);

        // The writer is a single long-lived connection: its pragmas and prepared statements are set up once.
        builder.Pooling = false;
        builder.Mode = readOnly ? SqliteOpenMode.ReadOnly : options.CreateIfMissing ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite;
        Writer = builder.ToString();

        // Readers are short-lived pooled connections. ReadWrite, not ReadWriteCreate: a file deleted under a running
        // dashboard must fail loudly, not come back as an empty store.
        builder.Pooling = true;
        builder.Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite;
        Reader = builder.ToString();
    }

    /// <summary>The full path of the SQLite file.</summary>
    public string FilePath { get; }

    /// <summary>True when the file is opened read-only (<see cref="EmbeddedStoreOptions.ReadOnly"/> or <c>Mode=ReadOnly</c>).</summary>
    public bool ReadOnly { get; }

    public string Writer { get; }

    public string Reader { get; }

    public static int WholeSeconds(TimeSpan timeout) => Math.Max(1, (int)Math.Floor(timeout.TotalSeconds));

    private static void Validate(EmbeddedStoreOptions options)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new ArgumentException(
                "Invalid embedded event store options: " + string.Join(" ", results.Select(r => r.ErrorMessage)),
                nameof(options));
        }
    }

    private static SqliteConnectionStringBuilder ParseConnectionString(string value)
    {
        // The setting may be a full connection string or, as the configuration docs promise, just a file path.
        var builder = value.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(value)
            : new SqliteConnectionStringBuilder { DataSource = value.Trim() };

        if (string.IsNullOrWhiteSpace(builder.DataSource)
            || builder.Mode == SqliteOpenMode.Memory
            || builder.DataSource.Equals(":memory:", StringComparison.OrdinalIgnoreCase)
            || builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"The embedded event store needs the path of a file, as in '{EmbeddedStoreOptions.DefaultConnectionString}'; got '{value}'.",
                nameof(value));
        }

        if (builder.Cache == SqliteCacheMode.Shared)
        {
            // Shared cache replaces WAL's concurrent readers by table locks: readers would stall behind every append.
            throw new ArgumentException("The embedded event store does not support 'Cache=Shared'.", nameof(value));
        }

        builder.DataSource = Path.GetFullPath(builder.DataSource);
        return builder;
    }
}
