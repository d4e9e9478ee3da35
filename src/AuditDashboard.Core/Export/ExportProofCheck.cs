using AuditDashboard.Core.Integrity;

namespace AuditDashboard.Core.Export;

/// <summary>
/// Checks the inclusion proofs of an export as its rows are read (see <see cref="ExportProofs"/> for the rows): the seal row, then
/// each proof row against the event row before it — its leaf is the canonical form of that row's event (position, stream,
/// revision, event id, type, data and recorded time as the row states them) and its audit path leads to the seal's root. The
/// seal's signature is a question for the keys: <see cref="LedgerSeal.IsSignedBy"/>.
/// </summary>
internal sealed class ExportProofCheck(LedgerSeal seal, string streamId)
{
    /// <summary>How many unsealed event rows are named in the summary (the count is always exact).</summary>
    public const int NamedUnsealedRows = 20;

    private readonly List<long> _unsealedRows = [];

    public LedgerSeal Seal { get; } = seal;

    public long Proven { get; private set; }

    public long Unsealed { get; private set; }

    public IReadOnlyList<long> UnsealedRows => _unsealedRows;

    /// <summary>The seal of a seal row's fields, or the reason it is not one.</summary>
    public static (LedgerSeal? Seal, string? Problem) ReadSeal(string[] fields)
    {
        if (!OnlySet(fields, ExportColumns.Data))
            return (null, "is not as the export writes a seal row (only row, kind and data set)");
        try
        {
            var json = fields[ExportColumns.Data];
            var parsed = LedgerSeal.Parse(Encoding.UTF8.GetBytes(json));
            // Only the dashboard's own form reads back: the seal a reviewer sees is exactly the one that is checked.
            return Encoding.UTF8.GetString(parsed.ToJsonBytes()) == json
                ? (parsed, null)
                : (null, "holds a seal that is not in the form the seal stream keeps it");
        }
        catch (FormatException ex)
        {
            return (null, "does not hold a ledger seal: " + ex.Message);
        }
    }

    /// <summary>Checks the proof row <paramref name="proof"/> of the event row <paramref name="row"/>; null when it holds, else what does not.</summary>
    public string? Check(string[] row, string[] proof)
    {
        if (!OnlySet(proof, 2, 3, 7, ExportColumns.Data))
            return "is not as the export writes a proof row (only row, kind, global_position, stream_revision, event_id and data set)";
        if (proof[2] != row[2] || proof[3] != row[3] || proof[7] != row[7])
            return $"names position {proof[2]}, revision {proof[3]}, event {proof[7]}, not the event of the row before it";

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(proof[ExportColumns.Data], new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException)
        {
            return "holds data that is not JSON";
        }

        using (document)
        {
            var data = document.RootElement;
            if (data.ValueKind != JsonValueKind.Object || Text(data, "status") is not { } status)
                return "holds no proof status";
            if (!data.TryGetProperty("seal", out var number) || !number.TryGetInt64(out var sealNumber) || sealNumber != Seal.Number)
                return $"is not against seal {Seal.Number}, the seal of row 1";

            return status switch
            {
                ExportProofs.Included => CheckIncluded(row, data),
                ExportProofs.NotSealed => CheckNotSealed(row, data),
                ExportProofs.Mismatch => $"says the ledger's event at position {row[2]} no longer matches the leaf seal {Seal.Number} holds for it: it was altered after it was sealed, so it cannot be proven",
                _ => $"has an unknown status '{status}'",
            };
        }
    }

    private string? CheckNotSealed(string[] row, JsonElement data)
    {
        if (data.GetPropertyCount() != 2)
            return "is not as the export writes a not-sealed proof row";
        // Every event up to the seal's last position is one of its leaves: an event there cannot be "not sealed".
        if (!long.TryParse(row[2], NumberStyles.None, CultureInfo.InvariantCulture, out var position) || position <= Seal.LastPosition)
            return $"says the event at position {row[2]} is not sealed, but seal {Seal.Number} covers every event up to position {Seal.LastPosition}";
        Unsealed++;
        if (_unsealedRows.Count < NamedUnsealedRows)
            _unsealedRows.Add(long.Parse(row[0], CultureInfo.InvariantCulture));
        return null;
    }

    private string? CheckIncluded(string[] row, JsonElement data)
    {
        if (data.GetPropertyCount() != 5
            || !data.TryGetProperty("leafIndex", out var indexElement) || !indexElement.TryGetInt64(out var index)
            || Text(data, "leaf") is not { } leafText
            || !data.TryGetProperty("auditPath", out var pathElement) || pathElement.ValueKind != JsonValueKind.Array)
            return "is not as the export writes an inclusion proof (status, seal, leafIndex, leaf, auditPath)";

        byte[] leaf;
        try
        {
            leaf = Convert.FromBase64String(leafText);
        }
        catch (FormatException)
        {
            return "holds a leaf that is not base64";
        }

        if (Convert.ToBase64String(leaf) != leafText)
            return "holds a leaf that is not in plain base64 (padded, no line breaks)";

        var path = new List<byte[]>();
        foreach (var item in pathElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: 2 * MerkleHash.Size } hex || !hex.All(IsLowerHex))
                return "holds an audit path whose hashes are not 64 lowercase hex digits";
            path.Add(Convert.FromHexString(hex));
        }

        DecodedLeaf decoded;
        try
        {
            decoded = DecodedLeaf.Parse(leaf);
        }
        catch (FormatException ex)
        {
            return "holds a leaf that is not an event's canonical form: " + ex.Message;
        }

        if (Differs(row, decoded) is { } difference)
            return $"holds the leaf of another event than its row: {difference}";
        if (!new InclusionProof(index, leaf, path).LeadsTo(Seal))
            return $"does not prove its event: the audit path does not lead from leaf {index} to seal {Seal.Number}'s root";
        Proven++;
        return null;
    }

    /// <summary>The first field in which the leaf's event differs from what the row states, or null.</summary>
    private string? Differs(string[] row, DecodedLeaf leaf)
    {
        (string Name, string Leaf, string Row)[] fields =
        [
            ("position", ExportText.Number(leaf.Position), row[2]),
            ("stream", leaf.StreamId, streamId),
            ("revision", ExportText.Number(leaf.Revision), row[3]),
            ("event id", leaf.EventId.ToString("D"), row[7]),
            ("event type", leaf.EventType, row[6]),
            ("recorded time", ExportText.Time(leaf.Recorded), row[4]),
            ("data", ExportText.Payload(leaf.Data), row[ExportColumns.Data]),
        ];
        foreach (var (name, inLeaf, inRow) in fields)
        {
            if (!string.Equals(inLeaf, inRow, StringComparison.Ordinal))
                return $"its {name} is '{Shorten(inLeaf)}', the row says '{Shorten(inRow)}'";
        }

        return null;
    }

    private static bool IsLowerHex(char c) => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f';

    private static bool OnlySet(string[] fields, params int[] allowed)
    {
        for (var i = 2; i < fields.Length; i++)
        {
            if (fields[i].Length > 0 && !allowed.Contains(i))
                return false;
        }

        return true;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
