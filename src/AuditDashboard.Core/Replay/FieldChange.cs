namespace AuditDashboard.Core.Replay;

/// <summary>One field of an account that differs between two moments, shown as text.</summary>
public sealed record FieldChange(string Field, string Before, string After);
