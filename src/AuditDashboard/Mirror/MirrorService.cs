using AuditDashboard.Kafka;

namespace AuditDashboard.Mirror;

/// <summary>Runs the Kafka mirror of the account events and that of the seals for the lifetime of the application.</summary>
internal sealed class MirrorService(KafkaMirror mirror, SealMirror seals) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        Task.Run(() => mirror.RunAsync(stoppingToken), stoppingToken),
        Task.Run(() => seals.Mirror.RunAsync(stoppingToken), stoppingToken));
}
