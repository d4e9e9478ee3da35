using AuditDashboard.Kafka;

namespace AuditDashboard.Mirror;

/// <summary>Runs the Kafka mirror for the lifetime of the application.</summary>
internal sealed class MirrorService(KafkaMirror mirror) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => mirror.RunAsync(stoppingToken), stoppingToken);
}
