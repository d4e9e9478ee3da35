using AuditDashboard.Core.Integrity;
using AuditDashboard.Hosting;

namespace AuditDashboard.Integrity;

/// <summary>
/// Runs the sealer for the lifetime of the app over the leaf file it holds open for writing. A second dashboard on the same
/// files finds the leaf file taken and waits as a standby (checking again every few seconds); the seal stream's expected
/// revision keeps two sealers on different files from forking the chain all the same.
/// </summary>
internal sealed partial class LedgerSealerService(
    LedgerSealer sealer,
    LedgerIntegrity state,
    IEventStore store,
    IOptions<IntegrityOptions> options,
    IHostEnvironment environment,
    ILogger<LedgerSealerService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting: the start-up check reads the whole ledger and must not delay the first request.
        await Task.Yield();
        sealer.ViolationFound += (_, violation) => LogViolation(logger, violation.Kind, violation.Position, violation.StreamId, violation.Revision, violation.Description);
        sealer.SinkFailed += (_, failure) => LogSinkFailed(logger, failure.Seal.Number, failure.Sink.Name, failure.Error.Message);
        using var subscription = state.Subscribe(() =>
        {
            if (state.Problem is { } problem)
                LogProblem(logger, problem);
            return Task.CompletedTask;
        });

        var path = IntegrityFiles.LeafFilePath(options.Value, store, environment);
        while (!stoppingToken.IsCancellationRequested)
        {
            ILeafFile leaves;
            try
            {
                leaves = IntegrityFiles.OpenLeavesForWriting(path);
            }
            catch (IOException ex)
            {
                state.Failed($"The leaf file {path} is in use by another process ({ex.Message}); this instance does not seal while it is.");
                await Task.Delay(RetryEvery, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            using (leaves)
                await sealer.RunAsync(leaves, RetryEvery, stoppingToken);
            return;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The ledger does not match its seals ({Kind} at position {Position}, {StreamId} revision {Revision}): {Description}")]
    private static partial void LogViolation(ILogger logger, ViolationKind kind, long? position, string? streamId, long? revision, string description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Seal {Number} could not be published to the {Sink}: {Reason}")]
    private static partial void LogSinkFailed(ILogger logger, long number, string sink, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ledger sealer: {Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);
}
