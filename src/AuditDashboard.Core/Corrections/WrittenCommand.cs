namespace AuditDashboard.Core.Corrections;

/// <summary>An event a command wrote, found by the command's id (its event id): where it is and what it says.</summary>
public sealed record WrittenCommand(string AccountId, long Revision, AccountEvent? Event, EventMetadata? Metadata);
