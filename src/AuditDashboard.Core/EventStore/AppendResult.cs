namespace AuditDashboard.Core.EventStore;

/// <summary>Where an append left the stream.</summary>
/// <param name="NextExpectedRevision">The stream's last revision after the append: pass it as the next expected revision.</param>
/// <param name="Position">The commit position of the last event written.</param>
public sealed record AppendResult(long NextExpectedRevision, long Position);
