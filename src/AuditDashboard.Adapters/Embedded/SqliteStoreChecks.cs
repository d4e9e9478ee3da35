using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.Embedded;

/// <summary>The embedded store's checks of its file: is it reachable (readiness), and is it whole (integrity).</summary>
internal sealed class SqliteStoreChecks(SqliteStoreFile file)
{
    // quick_check lists at most this many problems: enough to tell an operator what kind of damage it is.
    private const int MaxProblemsListed = 10;

    /// <summary>A round trip to the <c>events</c> table on a fresh connection; false, never an exception, when it fails.</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        if (file.IsDisposed || file.IsDamaged)
        {
            return false;
        }

        try
        {
            await using var connection = file.NewReader();
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT EXISTS (SELECT 1 FROM events)";

            // A readiness probe must answer quickly even when another process holds an exclusive lock.
            command.CommandTimeout = 1;
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>
    /// Runs SQLite's <c>PRAGMA quick_check</c> over the whole file (every page of every table and index, without comparing
    /// indexes to their tables). It reads only, on a connection of its own, so appends and reads go on meanwhile; its time
    /// grows with the file. When it finds damage the store refuses every later read and write with an
    /// <see cref="EventStoreUnavailableException"/> that says so: an audit ledger must not serve figures from a damaged file.
    /// </summary>
    public async Task<IntegrityCheckResult> CheckIntegrityAsync(CancellationToken cancellationToken = default)
    {
        file.ThrowIfNotInitialized();
        var started = Stopwatch.GetTimestamp();
        var problems = new List<string>();
        try
        {
            await using var connection = file.NewReader();
            await connection.OpenAsync(cancellationToken);

            // The driver does not stop a running statement when the token fires; SQLite's interrupt does.
            await using var interrupt = cancellationToken.Register(() => SQLitePCL.raw.sqlite3_interrupt(connection.Handle));
            await using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA quick_check({MaxProblemsListed})");
            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // One row may hold several lines ("*** in database main ***" and the pages below it): one line per problem.
                problems.AddRange(reader.GetString(0).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }
        catch (SqliteException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The integrity check was stopped.", e, cancellationToken);
        }
        catch (SqliteException e) when (SqliteFailure.IsEnvironmental(e))
        {
            // A file too damaged for quick_check to walk is damaged all the same; a lock or I/O error is not damage.
            if (!SqliteFailure.IsDamage(e))
            {
                throw file.Unavailable(e);
            }

            problems = [e.Message];
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        if (problems is ["ok"])
        {
            return new IntegrityCheckResult(file.FilePath, true, [], elapsed);
        }

        var result = new IntegrityCheckResult(file.FilePath, false, problems, elapsed);
        file.MarkDamaged(result.Describe());
        return result;
    }
}
