namespace AuditDashboard.Hosting;

/// <summary>The Kafka mirror is turned on but the configured store cannot feed it; the message says what to change.</summary>
internal sealed class MirrorUnsupportedException(string message) : InvalidOperationException(message);
