using AuditDashboard.Core.Replay;

namespace AuditDashboard.Core.Export;

/// <summary>What an export is: written as row 0, so the chain covers who exported which account, range and view, and when.</summary>
public sealed record ExportHeader(
    Guid ExportId,
    string AccountId,
    ReplayView View,
    ExportRange Range,
    ExportFormat Format,
    string ExportedBy,
    DateTimeOffset ExportedAt)
{
    /// <summary>The version of the export's layout and canonical form.</summary>
    public const string Schema = "audit-export/1";

    /// <summary>The member of row 0's JSON that says the export carries inclusion proofs.</summary>
    public const string ProofsMember = "proofs";

    /// <summary>
    /// Whether the export carries inclusion proofs of its events against a ledger seal (a seal row, and a proof row after each
    /// event row). Written into row 0 only when set, so an export without them reads as it always did.
    /// </summary>
    public bool WithProofs { get; init; }

    public string ViewName => View == ReplayView.Corrected ? "corrected" : "recorded";

    /// <summary>A file name such as <c>ACC-100004_recorded_20261127T201240Z.csv</c>.</summary>
    public string FileName => $"{AccountId}_{ViewName}_{ExportedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.{Format.Extension()}";

    /// <summary>The header as the JSON text of row 0's <c>data</c>.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("schema", Schema);
            json.WriteString("exportId", ExportId);
            json.WriteString("account", AccountId);
            json.WriteString("view", ViewName);
            WriteTime(json, "from", Range.From);
            WriteTime(json, "to", Range.To);
            json.WriteString("format", Format.Extension());
            json.WriteString("exportedBy", ExportedBy);
            json.WriteString("exportedAt", ExportText.Time(ExportedAt));
            if (WithProofs)
                json.WriteBoolean(ProofsMember, true);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } time)
            json.WriteString(name, ExportText.Time(time));
        else
            json.WriteNull(name);
    }
}
