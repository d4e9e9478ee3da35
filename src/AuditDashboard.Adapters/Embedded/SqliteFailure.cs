using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.Embedded;

/// <summary>Turns SQLite's result codes about the file itself into messages an operator can act on.</summary>
internal static class SqliteFailure
{
    private const int Perm = 3;
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoErr = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADb = 26;

    public const int Constraint = 19;

    /// <summary>True for failures of the file or its environment, as opposed to a bug in a statement.</summary>
    public static bool IsEnvironmental(SqliteException exception) => exception.SqliteErrorCode
        is Perm or Busy or Locked or ReadOnly or IoErr or Corrupt or Full or CantOpen or NotADb;

    /// <summary>True when SQLite says the file itself is damaged (or was never a database).</summary>
    public static bool IsDamage(SqliteException exception) => exception.SqliteErrorCode is Corrupt or NotADb;

    public static EventStoreUnavailableException Describe(SqliteException exception, string path, TimeSpan waited)
    {
        var reason = exception.SqliteErrorCode switch
        {
            Busy or Locked =>
                $"is locked by another process (still locked after waiting {Seconds(waited)} s). "
                + "Another dashboard or a seeding command is probably using it: stop it, or point EventStore:ConnectionString at another file.",
            NotADb or Corrupt =>
                "is not a SQLite database or is corrupt. "
                + "Restore it from a backup, or move it aside so that a new store is created.",
            CantOpen =>
                "cannot be opened. Check that the path names a file (not a folder) on a local disk, "
                + "and that the account running the dashboard may read and write it and its folder.",
            ReadOnly =>
                "is read-only. The account running the dashboard must be able to write the file, its folder "
                + "and the '-wal' and '-shm' files next to it; or set EventStore:ReadOnly=true to serve it read-only on purpose.",
            Perm =>
                "cannot be accessed: permission denied. Grant the account running the dashboard read and write access to the file and its folder.",
            Full =>
                "cannot grow: the disk is full. Free some space.",
            IoErr =>
                "cannot be read or written (I/O error). Check the disk, and do not keep the file on a network share.",
            _ => "failed.",
        };
        return new EventStoreUnavailableException(
            $"The event store file '{path}' {reason} ({exception.Message})",
            exception);
    }

    public static EventStoreUnavailableException Describe(Exception exception, string path) =>
        new($"The event store file '{path}' cannot be created or opened: {exception.Message}", exception);

    private static string Seconds(TimeSpan waited) => waited.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
}
