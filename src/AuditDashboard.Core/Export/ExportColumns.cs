namespace AuditDashboard.Core.Export;

/// <summary>
/// The columns of every export, in the order the files and the hash chain use. Every row of every format carries all of
/// them as text; the last, <see cref="Hash"/>, chains the row to the one before (see <see cref="ExportChain"/>).
/// </summary>
public static class ExportColumns
{
    public const string Row = "row";
    public const string Kind = "kind";
    public const string Hash = "hash";

    /// <summary>Every column but <see cref="Hash"/>: the fields a row's hash covers, in this order.</summary>
    public static IReadOnlyList<string> Fields { get; } =
    [
        Row, Kind, "global_position", "stream_revision", "recorded_at", "effective_at", "event_type", "event_id",
        "actor", "reason", "correlation_id", "causation_id", "approved_by", "amount", "currency", "balance_after",
        "flag", "problem", "data",
    ];

    /// <summary>All columns, <see cref="Hash"/> last.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Fields, Hash];

    public const int Data = 18;

    /// <summary>Names the formats use for whole-number columns (written as JSON numbers in NDJSON).</summary>
    public static bool IsWholeNumber(int index) => index is 0 or 2 or 3;
}

/// <summary>What a row of an export is.</summary>
public static class ExportRowKinds
{
    /// <summary>Row 0: who exported which account, range and view, and when (JSON in <c>data</c>).</summary>
    public const string Export = "export";

    /// <summary>One event of the account, with the balance after it.</summary>
    public const string Event = "event";

    /// <summary>The last row: the count of events and the final state (JSON in <c>data</c>); its hash is the export's digest.</summary>
    public const string End = "end";

    /// <summary>
    /// After the end row, in a signed export: the dashboard's signature of row 0's hash and the digest (JSON in <c>data</c>, see
    /// <see cref="ExportSignature"/>). Hashed onto the chain like every row, but it is not the digest: it cannot sign itself.
    /// </summary>
    public const string Signature = "signature";

    /// <summary>
    /// Row 1 of an export with inclusion proofs: the ledger seal they are proven against, its signed JSON in <c>data</c>
    /// (see <see cref="ExportProofs"/>).
    /// </summary>
    public const string Seal = "seal";

    /// <summary>
    /// In an export with inclusion proofs, right after each event row: that event's proof against the seal of row 1, or why
    /// there is none (JSON in <c>data</c>; position, revision and event id repeat the event row's).
    /// </summary>
    public const string Proof = "proof";
}
