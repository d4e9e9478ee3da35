using AuditDashboard.Core.Export;

namespace AuditDashboard.Adapters.Export.Pdf;

/// <summary>What the cover of a PDF export shows besides its header: learnt from the rows, so known only once they are written.</summary>
/// <param name="HeaderHash">The hash of the header row (row 0), or null when there was none.</param>
/// <param name="Signature">The export's signature, or null when it is not signed.</param>
/// <param name="ProofSeal">The ledger seal the export's inclusion proofs are against, or null for an export without proofs.</param>
/// <param name="Proven">Events whose proof row holds a proof against <paramref name="ProofSeal"/>.</param>
/// <param name="NotProven">Events whose proof row holds none.</param>
internal sealed record PdfCoverFacts(
    PdfFinalState Final, string? HeaderHash, ExportSignature? Signature, LedgerSeal? ProofSeal = null, long Proven = 0, long NotProven = 0);
