namespace AuditDashboard.Integrity;

/// <summary>
/// Ledger seals and their checks (section <c>Integrity</c>). <c>LeafFile</c> is where the sealed leaves' records are kept
/// (default: beside the embedded store's file, <c>audit.leaves</c> for <c>audit.db</c>; <c>data/ledger-{nodes}.leaves</c> with
/// EventStoreDB, named after the connection string's nodes); it can be deleted and is rebuilt from the store at the next start.
/// </summary>
public sealed class IntegrityOptions
{
    public const string Section = "Integrity";

    public bool Enabled { get; set; } = true;

    public string? LeafFile { get; set; }

    public SealOptions Seal { get; set; } = new();

    public VerifyOptions Verify { get; set; } = new();
}
