namespace AuditDashboard.Integrity;

/// <summary>Where seals are published besides the seal stream and the Kafka topic (section <c>Integrity:Seal:Sinks</c>).</summary>
public sealed class SealSinkOptions
{
    public FileSinkOptions File { get; set; } = new();

    public WebhookSinkOptions Webhook { get; set; } = new();
}
