using System.Text.Json.Nodes;
using AuditDashboard.Adapters.Export.Pdf;
using AuditDashboard.Core.Export;
using AuditDashboard.Core.Signing;
using AuditDashboard.Export;
using AuditDashboard.Tests.Api;
using PdfSharp.Pdf.IO;

namespace AuditDashboard.Tests.Integrity;

/// <summary>
/// Exports with inclusion proofs (<c>proofs=true</c>) from the real app over a SQLite file, sealed once at start: every event
/// proven against that seal, checked by the dashboard's verifier and by docs/verify_proofs.py; an altered proof found and its
/// row named; events appended after the seal named as not sealed; no proofs where the sealer is off.
/// </summary>
public sealed class ExportProofTests(SealedOnceDashboard app) : IClassFixture<SealedOnceDashboard>
{
    private const string ComplianceKey = CorrectionApiTests.ComplianceKey;

    [Theory(Timeout = 60_000)]
    [InlineData("csv")]
    [InlineData("ndjson")]
    [InlineData("pdf")]
    public async Task ExportWithProofs_VerifiesWithEveryEventProvenAgainstTheLatestSeal_SignedByTheDashboard(string format)
    {
        var cancel = TestContext.Current.CancellationToken;
        var keys = app.Factory.Services.GetRequiredService<ISigningKeys>();
        var seal = app.Integrity.LastSeal!;

        var rows = await ExportAsync(SealedDashboard.OtherAccount, format, cancel);
        var result = ExportVerifier.Verify(new MemoryStream(rows));

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(2, result.Count);
        Assert.Equal(seal, result.ProofSeal);
        Assert.Equal((2L, 0L), (result.Proven, result.NotSealed));
        Assert.True(ExportAuthenticity.Check(result, keys.Published).IsAuthentic);
        Assert.True(result.ProofSeal!.IsSignedBy(keys.Published));
        Assert.Contains($"2 events proven against ledger seal {seal.Number} ", result.DescribeProofs(), StringComparison.Ordinal);
        var kinds = ExportFile.Rows(format == "csv" ? await CsvAsNdjsonAsync(rows) : rows).Select(r => r[1]).ToList();
        Assert.Equal(["export", "seal", "event", "proof", "event", "proof", "end", "signature"], kinds);
    }

    [Fact(Timeout = 60_000)]
    public async Task PdfWithProofs_KeepsTheProofsInItsAttachment_NotInItsPages()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var client = app.Factory.CreateApiClient(ComplianceKey);

        var with = await client.GetByteArrayAsync($"/api/accounts/{SealedDashboard.Account}/export?format=pdf&proofs=true", cancel);
        var without = await client.GetByteArrayAsync($"/api/accounts/{SealedDashboard.Account}/export?format=pdf", cancel);

        using var withProofs = PdfReader.Open(new MemoryStream(with), PdfDocumentOpenMode.Import);
        using var withoutProofs = PdfReader.Open(new MemoryStream(without), PdfDocumentOpenMode.Import);
        Assert.Equal(withoutProofs.PageCount, withProofs.PageCount);
        var attached = ExportFile.Rows(PdfExportAttachment.Read(new MemoryStream(with)).Bytes);
        Assert.Equal(attached.Count(r => r[1] == ExportRowKinds.Event), attached.Count(r => r[1] == ExportRowKinds.Proof));
        Assert.Equal(ExportRowKinds.Seal, attached[1][1]);
        Assert.DoesNotContain(ExportFile.Rows(PdfExportAttachment.Read(new MemoryStream(without)).Bytes), r => r[1] is ExportRowKinds.Proof or ExportRowKinds.Seal);
    }

    [Fact(Timeout = 60_000)]
    public async Task ExportWithProofs_OneByteOfALeafOrOfAPathChanged_FailsNamingTheProofRowAndItsEvent()
    {
        var cancel = TestContext.Current.CancellationToken;
        var genuine = await ExportAsync(SealedDashboard.OtherAccount, "ndjson", cancel);

        var leafChanged = ExportFile.Rows(genuine);
        var proof = JsonNode.Parse(leafChanged[3][ExportColumns.Data])!.AsObject();
        var leaf = Convert.FromBase64String(proof["leaf"]!.GetValue<string>());
        leaf[^9] ^= 0x01; // the last byte of the metadata, just before the recorded time
        proof["leaf"] = Convert.ToBase64String(leaf);
        leafChanged[3][ExportColumns.Data] = proof.ToJsonString();
        var pathChanged = ExportFile.Rows(genuine);
        var path = JsonNode.Parse(pathChanged[5][ExportColumns.Data])!.AsObject();
        var first = path["auditPath"]![0]!.GetValue<string>();
        path["auditPath"]![0] = (first[0] == '0' ? "1" : "0") + first[1..];
        pathChanged[5][ExportColumns.Data] = path.ToJsonString();
        var leafResult = ExportVerifier.Verify(new MemoryStream(await ExportFile.RechainAsync(leafChanged)));
        var pathResult = ExportVerifier.Verify(new MemoryStream(await ExportFile.RechainAsync(pathChanged)));
        var unchained = ExportVerifier.Verify(new MemoryStream(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(genuine).Replace(first, path["auditPath"]![0]!.GetValue<string>(), StringComparison.Ordinal))));

        Assert.False(leafResult.IsValid);
        Assert.Equal(3, leafResult.FailedRow);
        Assert.Contains("row 3 (line 4), the proof of row 2, does not prove its event: the audit path does not lead from leaf", leafResult.Message, StringComparison.Ordinal);
        Assert.False(pathResult.IsValid);
        Assert.Equal(5, pathResult.FailedRow);
        Assert.Contains("row 5 (line 6), the proof of row 4, does not prove its event", pathResult.Message, StringComparison.Ordinal);
        Assert.False(unchained.IsValid);
        Assert.Equal(5, unchained.FailedRow);
    }

    [Fact(Timeout = 60_000)]
    public async Task ExportWithProofs_ALeafOfAnotherEvent_OrAnEventRowWithoutItsProof_FailsNamingTheRow()
    {
        var cancel = TestContext.Current.CancellationToken;
        var genuine = await ExportAsync(SealedDashboard.OtherAccount, "ndjson", cancel);

        var swapped = ExportFile.Rows(genuine);
        (swapped[3][ExportColumns.Data], swapped[5][ExportColumns.Data]) = (swapped[5][ExportColumns.Data], swapped[3][ExportColumns.Data]);
        var dropped = ExportFile.Rows(genuine);
        dropped.RemoveAt(5);
        for (var i = 5; i < dropped.Count; i++)
            dropped[i][0] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var swappedResult = ExportVerifier.Verify(new MemoryStream(await ExportFile.RechainAsync(swapped)));
        var droppedResult = ExportVerifier.Verify(new MemoryStream(await ExportFile.RechainAsync(dropped)));

        Assert.False(swappedResult.IsValid);
        Assert.Contains("the proof of row 2, holds the leaf of another event than its row: its position is", swappedResult.Message, StringComparison.Ordinal);
        Assert.False(droppedResult.IsValid);
        Assert.Equal(4, droppedResult.FailedRow);
        Assert.Contains("row 4, an event row, has no proof row after it", droppedResult.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task ExportWithProofs_ASealWhoseSignatureIsForged_IsStillAValidChain_ButNotSignedByTheDashboardsKey()
    {
        var cancel = TestContext.Current.CancellationToken;
        var keys = app.Factory.Services.GetRequiredService<ISigningKeys>();
        var rows = ExportFile.Rows(await ExportAsync(SealedDashboard.OtherAccount, "ndjson", cancel));
        var seal = JsonNode.Parse(rows[1][ExportColumns.Data])!.AsObject();
        var signature = seal["signature"]!.GetValue<string>();
        seal["signature"] = (signature[0] == 'A' ? "B" : "A") + signature[1..];
        rows[1][ExportColumns.Data] = seal.ToJsonString();

        // Re-signed with the dashboard's own key: the export's signature holds, so only the seal's can fail.
        var result = ExportVerifier.Verify(new MemoryStream(await ExportFile.RechainAsync(rows, resignWith: keys)));

        Assert.True(result.IsValid, result.Message);
        Assert.True(ExportAuthenticity.Check(result, keys.Published).IsAuthentic);
        Assert.False(result.ProofSeal!.IsSignedBy(keys.Published));
    }

    [Fact(Timeout = 60_000)]
    public async Task ExportWithProofs_EventsAppendedAfterTheSeal_AreNamedAsNotSealed_AndTheRestProven()
    {
        var cancel = TestContext.Current.CancellationToken;
        var store = app.Factory.Services.GetRequiredService<IEventStore>();
        var seal = app.Integrity.LastSeal!;
        await Ledger.AppendAsync(store, SealedDashboard.Account,
        [
            Ledger.Encode(new FundsDeposited(7m, "EUR", "LATE-1"), Ledger.By("olivia", "After the seal")),
            Ledger.Encode(new FundsWithdrawn(3m, "EUR", "LATE-2"), Ledger.By("olivia", "After the seal")),
        ],
        cancel);

        var result = ExportVerifier.Verify(new MemoryStream(await ExportAsync(SealedDashboard.Account, "ndjson", cancel)));

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(seal, result.ProofSeal);
        Assert.Equal(seal, app.Integrity.LastSeal);
        Assert.Equal(result.Count - 2, result.Proven);
        Assert.Equal(2, result.NotSealed);
        var lastEventRows = new[] { (2 * result.Count!.Value) - 2, 2 * result.Count.Value };
        Assert.Equal(lastEventRows, result.NotSealedRows);
        Assert.Contains($"2 events were appended after that seal and are not sealed yet: rows {lastEventRows[0]}, {lastEventRows[1]}.", result.DescribeProofs(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task ExportWithProofs_VerifiesInPython_WithTheSealSignature_AndAnAlteredPathDoesNot()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var client = app.Factory.CreateApiClient(DashboardFactory.OperatorKey);
        var keysFile = Path.Combine(app.FolderPath, "export-keys.json");
        await File.WriteAllTextAsync(keysFile, await client.GetStringAsync("/api/exports/keys", cancel), cancel);
        var exportFile = Path.Combine(app.FolderPath, "proofs.ndjson");
        var genuine = await ExportAsync(SealedDashboard.OtherAccount, "ndjson", cancel);
        await File.WriteAllBytesAsync(exportFile, genuine, cancel);
        var alteredFile = Path.Combine(app.FolderPath, "altered-proofs.ndjson");
        var rows = ExportFile.Rows(genuine);
        var proof = JsonNode.Parse(rows[5][ExportColumns.Data])!.AsObject();
        var first = proof["auditPath"]![0]!.GetValue<string>();
        proof["auditPath"]![0] = (first[0] == '0' ? "1" : "0") + first[1..];
        rows[5][ExportColumns.Data] = proof.ToJsonString();
        await File.WriteAllBytesAsync(alteredFile, await ExportFile.RechainAsync(rows), cancel);

        var (exitCode, output) = await PythonVerifier.RunAsync(cancel, "export", exportFile, "--jwks", keysFile);
        var (alteredExit, alteredOutput) = await PythonVerifier.RunAsync(cancel, "export", alteredFile);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"OK: 2 events proven against seal {app.Integrity.LastSeal!.Number}", output, StringComparison.Ordinal);
        Assert.Contains("seal signature holds", output, StringComparison.Ordinal);
        Assert.Equal(1, alteredExit);
        Assert.Contains("row 5, the proof of row 4: the audit path does not lead from leaf", alteredOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task ExportWithProofs_WhereTheSealerIsOff_Is400NamingProofs_AndNothingIsRecorded()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var dashboard = await OwnDashboard.StartAsync(new Dictionary<string, string?> { ["Integrity:Enabled"] = "false" }, cancel);
        var store = dashboard.Factory.Services.GetRequiredService<IEventStore>();
        await Ledger.OpenAsync(store, "OFF-0001", "Unsealed Owner", "EUR", 10m, cancel);
        using var client = dashboard.CreateClient(ComplianceKey);
        var before = await AccessLog.CountAsync(store, cancel);

        using var refused = await client.GetAsync("/api/accounts/OFF-0001/export?format=csv&proofs=true", cancel);
        var after = await AccessLog.CountAsync(store, cancel);
        using var plain = await client.GetAsync("/api/accounts/OFF-0001/export?format=csv", cancel);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync(cancel))!;
        Assert.Contains("Integrity:Enabled is false", problem["errors"]!["proofs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, after);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
    }

    /// <summary>The rows of an export with proofs, as a Compliance reviewer downloads it (a PDF's attached rows).</summary>
    private async Task<byte[]> ExportAsync(string account, string format, CancellationToken cancellationToken)
    {
        using var client = app.Factory.CreateApiClient(ComplianceKey);
        using var response = await client.GetAsync($"/api/accounts/{account}/export?format={format}&proofs=true", cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(bytes));
        if (format == "pdf")
            return PdfExportAttachment.Read(new MemoryStream(bytes)).Bytes;
        return bytes;
    }

    /// <summary>A CSV export's rows as NDJSON, for reading them with <see cref="ExportFile"/>.</summary>
    private static async Task<byte[]> CsvAsNdjsonAsync(byte[] csv)
    {
        var rows = new List<string[]>();
        using (var parser = new CsvHelper.CsvParser(new StringReader(Encoding.UTF8.GetString(csv).TrimStart('\uFEFF')), System.Globalization.CultureInfo.InvariantCulture))
        {
            parser.Read();
            while (parser.Read())
                rows.Add([.. parser.Record!.Select(CsvCells.Restore)]);
        }

        return await ExportFile.RechainAsync(rows);
    }
}
