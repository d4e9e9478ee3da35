namespace AuditDashboard.Core.ReadModels;

/// <summary>What opening the read-model store found.</summary>
/// <param name="Created">True when it started empty: new, or emptied because it could not be trusted.</param>
/// <param name="RebuildReason">Why existing read models were thrown away (for the log), or null.</param>
public sealed record ReadModelOpening(bool Created, string? RebuildReason);
