using AuditDashboard.Adapters.Embedded;


namespace AuditDashboard.Hosting;

/// <summary>
/// Runs SQLite's quick_check over the embedded store file once, in the background after start: on a large ledger it
/// takes a while (about 3 s per million events on a small machine), too long to hold the server's start. After a crash
/// (a write-ahead log left beside the file) the dashboard is not ready until it passes; after a clean shutdown it is
/// ready meanwhile, so a restart does not grow with the ledger. A damaged file makes it not ready, is logged as critical
/// naming the file and what SQLite found, and the store refuses to serve it. A check in the background waits until the
/// read models have caught up with the ledger (or their projection fails): readiness waits for them, and the check
/// would take one of a small machine's two cores from them while they are built.
/// </summary>
internal sealed partial class StoreIntegrityCheck(IEventStore store, StoreCondition condition, AccountDirectory directory, ILogger<StoreIntegrityCheck> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is not SqliteEventStore file)
            return;

        // Off the start-up path: the host goes on starting while the file is read.
        await Task.Yield();
        if (file.WasClosedCleanly)
        {
            condition.CheckRunsInBackground();
            LogStartedInBackground(logger, file.FilePath);
        }
        else
        {
            LogStarted(logger, file.FilePath);
        }

        IntegrityCheckResult result;
        try
        {
            if (condition.Integrity == StoreIntegrity.CheckingInBackground)
                await ReadModelsCaughtUpOrFailingAsync(stoppingToken);
            result = await file.CheckIntegrityAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (EventStoreUnavailableException ex)
        {
            // Not damage (a lock held too long, an I/O error): the check could not finish, so the dashboard is not ready.
            LogCouldNotCheck(logger, file.FilePath, ex.Message);
            condition.CheckFinished(intact: false, $"The event store file '{file.FilePath}' could not be checked: {ex.Message}");
            return;
        }

        var report = result.Describe();
        if (result.IsIntact)
            LogPassed(logger, file.FilePath, result.Elapsed.TotalMilliseconds);
        else
            LogDamaged(logger, report);
        condition.CheckFinished(result.IsIntact, report);
    }

    // A projection that fails (a damaged file among the causes) lets the check start at once, to say what is wrong.
    private async Task ReadModelsCaughtUpOrFailingAsync(CancellationToken cancellationToken)
    {
        while (!directory.ProjectionIsCaughtUp && directory.LastError is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.WhenAny(directory.ProjectionCaughtUp, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checking the event store file '{Path}' (PRAGMA quick_check); not ready until it passes")]
    private static partial void LogStarted(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checking the event store file '{Path}' (PRAGMA quick_check) in the background once the read models have caught up: it was closed cleanly when last used")]
    private static partial void LogStartedInBackground(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "The event store file '{Path}' passed PRAGMA quick_check in {Milliseconds:F0} ms")]
    private static partial void LogPassed(ILogger logger, string path, double milliseconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Report}")]
    private static partial void LogDamaged(ILogger logger, string report);

    [LoggerMessage(Level = LogLevel.Error, Message = "The event store file '{Path}' could not be checked ({Reason}); the dashboard stays not ready")]
    private static partial void LogCouldNotCheck(ILogger logger, string path, string reason);
}
