namespace AuditDashboard.Core.Integrity;

/// <summary>What to check the ledger against, and from where.</summary>
/// <param name="Seals">The seals, oldest first.</param>
/// <param name="Keys">The published keys their signatures must hold under.</param>
/// <param name="Reference">
/// The leaf records kept when the leaves were sealed: each leaf read from the store is compared with its record, which names
/// the first event that differs. Without them a mismatch is known only to lie between two seals.
/// </param>
/// <param name="Extend">Where to append the leaves read beyond the reference's end (to rebuild lost records), or null.</param>
/// <param name="FromSeal">Start after this seal (its leaves are taken as checked); 0: from the first leaf.</param>
public sealed record LedgerCheckRequest(
    IReadOnlyList<LedgerSeal> Seals,
    IReadOnlyList<PublicSigningKey> Keys,
    ILeafHashes? Reference = null,
    ILeafLog? Extend = null,
    long FromSeal = 0);
