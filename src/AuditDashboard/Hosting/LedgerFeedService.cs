namespace AuditDashboard.Hosting;

/// <summary>Runs the ledger feed for the lifetime of the app.</summary>
internal sealed class LedgerFeedService(LedgerFeed feed) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        feed.RunAsync(TimeSpan.FromSeconds(2), stoppingToken);
}
