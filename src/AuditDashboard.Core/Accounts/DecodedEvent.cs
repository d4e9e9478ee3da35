namespace AuditDashboard.Core.Accounts;

/// <summary>A stored event read back: the account event when it could be read, its metadata when readable, and any flag.</summary>
public sealed record DecodedEvent(AccountEvent? Event, EventMetadata? Metadata, EntryWarning Warning, string? Problem);
