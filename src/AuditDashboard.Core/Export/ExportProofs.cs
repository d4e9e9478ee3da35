using AuditDashboard.Core.Integrity;

namespace AuditDashboard.Core.Export;

/// <summary>
/// The inclusion proofs an export carries, all against one ledger seal (the latest when the export began): row 1 holds the
/// seal's signed JSON, and each event row is followed by a proof row whose <c>data</c> is one of
/// <code>
/// {"status":"included","seal":N,"leafIndex":I,"leaf":"&lt;base64 of the canonical leaf&gt;","auditPath":["&lt;hex&gt;",…]}
/// {"status":"not-sealed","seal":N}        the event came after the seal: a later seal covers it
/// {"status":"mismatch","seal":N,"leafIndex":I}   the seal's leaf at the event's position is not this event's bytes
/// </code>
/// Proofs are made from the sealer's leaf records as the events stream by, so memory does not grow with the export.
/// </summary>
public sealed class ExportProofs
{
    public const string Included = "included";
    public const string NotSealed = "not-sealed";
    public const string Mismatch = "mismatch";

    private readonly ILeafHashes _leaves;
    private readonly MerkleSubtrees _tree;

    /// <param name="leaves">The sealer's leaf records, holding at least the seal's tree.</param>
    /// <param name="tree">Subtree hashes over <paramref name="leaves"/>.</param>
    public ExportProofs(LedgerSeal seal, ILeafHashes leaves, MerkleSubtrees tree)
    {
        ArgumentNullException.ThrowIfNull(seal);
        ArgumentNullException.ThrowIfNull(leaves);
        ArgumentNullException.ThrowIfNull(tree);
        if (leaves.Count < seal.TreeSize)
            throw new ArgumentException($"The leaf records hold {leaves.Count} leaves, fewer than seal {seal.Number} covers ({seal.TreeSize}).", nameof(leaves));
        Seal = seal;
        _leaves = leaves;
        _tree = tree;
    }

    public LedgerSeal Seal { get; }

    /// <summary>Events proven so far.</summary>
    public long Proven { get; private set; }

    /// <summary>Events so far that came after the seal.</summary>
    public long Unsealed { get; private set; }

    /// <summary>Events so far whose sealed leaf is not their bytes.</summary>
    public long Mismatched { get; private set; }

    /// <summary>The seal row's <c>data</c>: the seal's JSON exactly as the seal stream holds it.</summary>
    public string SealJson() => Encoding.UTF8.GetString(Seal.ToJsonBytes());

    /// <summary>The proof row's <c>data</c> for <paramref name="record"/>.</summary>
    public string ProofJson(RecordedEvent record)
    {
        var attempt = LedgerProofs.Prove(record, Seal, _leaves, _tree);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            switch (attempt.Status)
            {
                case InclusionStatus.Included:
                    Proven++;
                    var proof = attempt.Proof!;
                    json.WriteString("status", Included);
                    json.WriteNumber("seal", Seal.Number);
                    json.WriteNumber("leafIndex", proof.LeafIndex);
                    json.WriteString("leaf", Convert.ToBase64String(proof.Leaf));
                    json.WriteStartArray("auditPath");
                    foreach (var hash in proof.AuditPath)
                        json.WriteStringValue(Convert.ToHexStringLower(hash));
                    json.WriteEndArray();
                    break;
                case InclusionStatus.NotSealed:
                    Unsealed++;
                    json.WriteString("status", NotSealed);
                    json.WriteNumber("seal", Seal.Number);
                    break;
                default:
                    // Said in the file rather than left out: the reviewer learns that this event no longer matches the ledger as sealed.
                    Mismatched++;
                    json.WriteString("status", Mismatch);
                    json.WriteNumber("seal", Seal.Number);
                    json.WriteNumber("leafIndex", attempt.LeafIndex!.Value);
                    break;
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
