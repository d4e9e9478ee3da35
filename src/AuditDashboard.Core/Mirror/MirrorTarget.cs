namespace AuditDashboard.Core.Mirror;

/// <summary>Where the mirror writes, as the dashboard names it to people.</summary>
/// <param name="Topic">The topic every mirrored event goes to.</param>
/// <param name="Servers">The brokers, as configured (e.g. <c>kafka:9092</c>).</param>
/// <param name="IsTestCluster">True for the in-process test cluster: in memory, lost when the application stops.</param>
public sealed record MirrorTarget(string Topic, string Servers, bool IsTestCluster);
