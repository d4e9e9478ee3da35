using System.Text.Json;
using AuditDashboard.Core.Export;

namespace AuditDashboard.Adapters.Export.Pdf;

/// <summary>What the end row says: the count, the final state (when there were events) and the digest.</summary>
internal sealed record PdfFinalState(long Count, string BalanceText, string Status, string LastRevision, string Digest, string EndRow)
{
    private const string None = "—";

    public static PdfFinalState Of(ExportRow? end, long events)
    {
        if (end is null)
            return new PdfFinalState(events, None, None, None, "(the export has no end row)", None);

        long count = events;
        string balance = None, status = None, revision = None;
        try
        {
            using var document = JsonDocument.Parse(end[ExportColumns.Data]);
            var root = document.RootElement;
            if (root.TryGetProperty("count", out var c) && c.TryGetInt64(out var n))
                count = n;
            if (count > 0)
            {
                var currency = root.TryGetProperty("currency", out var cur) && cur.ValueKind == JsonValueKind.String ? cur.GetString() ?? "" : "";
                if (root.TryGetProperty("balance", out var b) && b.ValueKind == JsonValueKind.String)
                    balance = PdfReportText.Amount(b.GetString()!, currency, signed: false);
                if (root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String)
                    status = s.GetString()!;
                if (root.TryGetProperty("lastRevision", out var r) && r.ValueKind == JsonValueKind.Number)
                    revision = r.GetRawText();
            }
        }
        catch (JsonException)
        {
            // Shown as unknown.
        }

        return new PdfFinalState(count, balance, status, revision, end.Hash, end[0]);
    }
}
