using AuditDashboard.Adapters.Embedded;


namespace AuditDashboard.Hosting;

/// <summary>
/// Opens the read-model store before the server accepts requests: a file that cannot be written stops start-up with one
/// line naming it; a file of another schema, a damaged one, or one built from another ledger is rebuilt, and the log says
/// why. The projections then build or resume in the background.
/// </summary>
internal sealed partial class ReadModelStartup(IEventStore ledger, AccountDirectory directory, ILogger<ReadModelStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A file that cannot be written stops start-up here. The read models are compared with the ledger they follow
        // now when it is the embedded file; a server that may not answer yet is compared by the projection once it does.
        var opening = await directory.Store.OpenAsync(null, cancellationToken);
        if (ledger is SqliteEventStore)
        {
            try
            {
                var compared = await directory.OpenAsync(ledger, cancellationToken);
                if (compared.RebuildReason is not null)
                    opening = compared;
            }
            catch (EventStoreUnavailableException ex)
            {
                LogLedgerAway(logger, ex.Message);
            }
        }

        if (opening.RebuildReason is { } reason)
            LogRebuilding(logger, directory.Store.Location, reason);
        else if (opening.Created)
            LogBuilding(logger, directory.Store.Location);
        else
            LogResuming(logger, directory.Store.Location);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebuilding the read models in '{File}' from the ledger: {Reason}")]
    private static partial void LogRebuilding(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Building the read models in '{File}' from the ledger")]
    private static partial void LogBuilding(ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming the read models in '{File}' from their checkpoints")]
    private static partial void LogResuming(ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The ledger cannot be read while the read models open ({Reason}); they are compared with it once it can")]
    private static partial void LogLedgerAway(ILogger logger, string reason);
}
