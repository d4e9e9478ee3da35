namespace AuditDashboard.Hosting;

/// <summary>One store adapter through the ports the app uses.</summary>
/// <param name="Subscriptions">Its persistent subscriptions (the Kafka mirror's feed), or null when the adapter offers none.</param>
internal sealed record EventStorePorts(IEventStore Events, IPersistentSubscriptions? Subscriptions);
