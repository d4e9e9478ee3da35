using AuditDashboard.Core.Mirror;

namespace AuditDashboard.Mirror;

/// <summary>Runs the ledger's mirror (the account events and the seals) for the lifetime of the application.</summary>
internal sealed class MirrorService(ILedgerMirror mirror) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => mirror.RunAsync(stoppingToken);
}
