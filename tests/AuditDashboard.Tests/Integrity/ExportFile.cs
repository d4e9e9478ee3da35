using AuditDashboard.Core.Export;
using AuditDashboard.Core.Signing;

namespace AuditDashboard.Tests.Integrity;

/// <summary>
/// An NDJSON export taken apart into rows and put back together with every hash recomputed, as anyone who edits a file can
/// (and re-signed, as only a holder of the key can): so a test reaches the checks behind the chain.
/// </summary>
internal static class ExportFile
{
    /// <summary>Each row's fields in column order, its hash last.</summary>
    public static List<string[]> Rows(byte[] ndjson)
    {
        var rows = new List<string[]>();
        foreach (var line in Encoding.UTF8.GetString(ndjson).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            rows.Add([.. ExportColumns.All.Select(name => document.RootElement.GetProperty(name) switch
            {
                { ValueKind: JsonValueKind.Null } => "",
                { ValueKind: JsonValueKind.Number } number => number.GetRawText(),
                var text => text.GetString()!,
            })]);
        }

        return rows;
    }

    /// <summary>The rows as an NDJSON file with the chain recomputed; the signature row re-signed by <paramref name="resignWith"/> when given.</summary>
    public static async Task<byte[]> RechainAsync(List<string[]> rows, ISigningKeys? resignWith = null)
    {
        var previous = ExportChain.Genesis;
        string? digest = null;
        using var output = new MemoryStream();
        await using (var writer = new NdjsonExportWriter(output))
        {
            foreach (var row in rows)
            {
                if (resignWith is not null && row[1] == ExportRowKinds.Signature)
                    row[ExportColumns.Data] = ExportSignature.Sign(resignWith, rows[0][^1], digest!).ToJson();
                row[^1] = ExportChain.Compute(previous, row[..^1]);
                previous = row[^1];
                if (row[1] == ExportRowKinds.End)
                    digest = previous;
                await writer.WriteRowAsync(new ExportRow(row[..^1], row[^1]));
            }

            await writer.CompleteAsync();
        }

        return output.ToArray();
    }
}
