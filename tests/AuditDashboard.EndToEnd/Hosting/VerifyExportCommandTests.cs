using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AuditDashboard.Core.Export;
using AuditDashboard.Core.Replay;
using AuditDashboard.Core.Signing;
using CsvHelper;

namespace AuditDashboard.EndToEnd.Hosting;

/// <summary>
/// <c>verify-export FILE [--key PUBLIC.pem | --jwks KEYS.json]</c>, run as a reviewer would: 0, the digest, who exported it
/// and with which key for an intact export signed by a given key; 1 naming the row for an altered one, and for an intact
/// chain whose signature fails, is missing or was made by another key; 3 for an intact chain checked without a key; a clear
/// message and a non-zero exit, never a stack trace, for a file that is not an export. Exports signed by the running
/// dashboard come from <see cref="SigningServer"/>.
/// </summary>
public sealed class VerifyExportCommandTests(SigningServer server, ITestOutputHelper output) : IClassFixture<SigningServer>, IDisposable
{
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("verify-export-");
    private readonly SigningKeySet _keys = new(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);

    [Fact(Timeout = 120_000)]
    public async Task IntactExport_WithItsKey_ExitsZero_PrintingTheCountDigestExporterAndKey()
    {
        var (path, summary) = await WriteExportAsync("intact.csv", TestContext.Current.CancellationToken);
        var key = await WritePublicKeyAsync(TestContext.Current.CancellationToken);

        var (exitCode, stdout, stderr) = await VerifyAsync(path, ["--key", key], TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
        Assert.Contains("Valid: 4 events", stdout, StringComparison.Ordinal);
        Assert.Contains(summary.Digest, stdout, StringComparison.Ordinal);
        Assert.Contains("of ACC-CLI (recorded, all time, csv) by carla at 2026-03-02T09:00:00.0000000Z", stdout, StringComparison.Ordinal);
        Assert.Contains($"Authentic: signed by the dashboard's key {_keys.Current.KeyId}", stdout, StringComparison.Ordinal);
        Assert.Equal("", stderr.Trim());
    }

    [Fact(Timeout = 120_000)]
    public async Task IntactExport_WithoutAKey_ExitsThree_SayingAuthenticityWasNotChecked()
    {
        var (path, summary) = await WriteExportAsync("unchecked.csv", TestContext.Current.CancellationToken);

        var (exitCode, stdout, stderr) = await VerifyAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(3, exitCode);
        Assert.Contains(summary.Digest, stdout, StringComparison.Ordinal);
        Assert.Contains("Authenticity was NOT checked", stderr, StringComparison.Ordinal);
        Assert.Contains(_keys.Current.KeyId, stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task UnsignedExport_WithAKey_ExitsOne_SayingItCarriesNoSignature()
    {
        var (path, _) = await WriteExportAsync("unsigned.csv", TestContext.Current.CancellationToken, signed: false);
        var key = await WritePublicKeyAsync(TestContext.Current.CancellationToken);

        var (exitCode, _, stderr) = await VerifyAsync(path, ["--key", key], TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        Assert.Contains("NOT AUTHENTIC: the file carries no signature", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 180_000)]
    public async Task ForgedCsv_WithEveryHashRecomputed_ExitsOneWithThePublishedKeys_AndThreeWithoutThem()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var genuine = await server.ExportAsync(server.App, "csv", "genuine.csv", cancellationToken);
        var keys = await server.KeySetAsync(server.App, "keys.jwks.json", cancellationToken);
        var forged = await ForgeCsvAsync(genuine, "forged.csv", resignWith: null, cancellationToken);

        var (withKeys, _, withKeysError) = await VerifyAsync(forged, ["--jwks", keys], cancellationToken);
        var (withoutKeys, withoutKeysOut, withoutKeysError) = await VerifyAsync(forged, cancellationToken);

        Assert.Equal(1, withKeys);
        Assert.Contains("NOT AUTHENTIC: the signature is not key", withKeysError, StringComparison.Ordinal);
        Assert.Equal(3, withoutKeys);
        Assert.Contains("Valid:", withoutKeysOut, StringComparison.Ordinal);
        Assert.Contains("Authenticity was NOT checked", withoutKeysError, StringComparison.Ordinal);
    }

    [Fact(Timeout = 180_000)]
    public async Task ForgedCsv_ReSignedWithAnotherKey_ExitsOneWithThePublishedKeys()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var genuine = await server.ExportAsync(server.App, "csv", "genuine-for-resigning.csv", cancellationToken);
        var keys = await server.KeySetAsync(server.App, "keys-for-resigning.jwks.json", cancellationToken);
        using var forgersKey = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        var resigned = await ForgeCsvAsync(genuine, "resigned.csv", forgersKey, cancellationToken);

        var (exitCode, _, stderr) = await VerifyAsync(resigned, ["--jwks", keys], cancellationToken);

        Assert.Equal(1, exitCode);
        Assert.Contains($"NOT AUTHENTIC: the file was signed with key {forgersKey.Current.KeyId}, which is not among the given keys", stderr, StringComparison.Ordinal);
    }

    [Theory(Timeout = 180_000)]
    [InlineData("ndjson")]
    [InlineData("pdf")]
    public async Task Export_FromTheServer_VerifiesWithTheDownloadedKeySet_AndWithItsPublicKey(string format)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var export = await server.ExportAsync(server.App, format, "export." + format, cancellationToken);
        var keys = await server.KeySetAsync(server.App, "keys-" + format + ".jwks.json", cancellationToken);
        var keyId = KeyIdOf(server.KeyPath);
        var pem = await server.PublicKeyAsync(server.App, keyId, keyId + ".pem", cancellationToken);

        var (withKeySet, keySetOut, keySetError) = await VerifyAsync(export, ["--jwks", keys], cancellationToken);
        var (withKey, keyOut, _) = await VerifyAsync(export, ["--key", pem], cancellationToken);

        Assert.True(withKeySet == 0, keySetError);
        Assert.Equal(0, withKey);
        foreach (var stdout in new[] { keySetOut, keyOut })
        {
            Assert.Contains($"of {SigningServer.Account} (recorded, all time, {format}) by api-key:dev-compliance at ", stdout, StringComparison.Ordinal);
            Assert.Contains($"Authentic: signed by the dashboard's key {keyId}", stdout, StringComparison.Ordinal);
        }

        if (format == "pdf")
            Assert.Contains("rows this PDF carries as its attached file", keySetOut, StringComparison.Ordinal);
    }

    [Fact(Timeout = 240_000)]
    public async Task RotatingTheKey_KeepsAnOldExportVerifiable_WithTheNewKeySet()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var old = await server.ExportAsync(server.App, "csv", "before-rotation.csv", cancellationToken);
        var newKey = Path.Combine(server.Folder, "signing-key-2.pem");
        SigningServer.WriteNewKey(newKey);
        await using var rotated = new AppProcess
        {
            Settings = new Dictionary<string, string>
            {
                ["Exports__SigningKey__Path"] = newKey,
                ["Exports__SigningKey__RetiredKeys__0"] = server.KeyPath,
            },
        };
        await rotated.InitializeAsync();
        var keys = await server.KeySetAsync(rotated, "rotated.jwks.json", cancellationToken);
        var fresh = await server.ExportAsync(rotated, "ndjson", "after-rotation.ndjson", cancellationToken);

        var (oldExit, oldOut, oldError) = await VerifyAsync(old, ["--jwks", keys], cancellationToken);
        var (freshExit, freshOut, freshError) = await VerifyAsync(fresh, ["--jwks", keys], cancellationToken);

        Assert.True(oldExit == 0, oldError);
        Assert.Contains($"Authentic: signed by the dashboard's key {KeyIdOf(server.KeyPath)} (a retired key)", oldOut, StringComparison.Ordinal);
        Assert.True(freshExit == 0, freshError);
        Assert.Contains($"Authentic: signed by the dashboard's key {KeyIdOf(newKey)} over", freshOut, StringComparison.Ordinal);
    }

    /// <summary>
    /// The Python check docs/exports.md documents next to the chain's recipe, run as written on a real export and the downloaded
    /// key set, so the documentation cannot drift from what the dashboard writes.
    /// </summary>
    [Fact(Timeout = 180_000)]
    public async Task DocumentedPythonCheck_AcceptsARealExport_AndRejectsAForgedOne()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var python = await RequirePythonWithCryptographyAsync(cancellationToken);
        var script = Path.Combine(_folder.FullName, "check.py");
        await File.WriteAllTextAsync(script, DocumentedPython(), cancellationToken);
        var genuine = Directory.CreateDirectory(Path.Combine(_folder.FullName, "genuine")).FullName;
        var forged = Directory.CreateDirectory(Path.Combine(_folder.FullName, "forged")).FullName;
        var export = await server.ExportAsync(server.App, "csv", "python.csv", cancellationToken);
        var keys = await server.KeySetAsync(server.App, "python.jwks.json", cancellationToken);
        File.Copy(export, Path.Combine(genuine, "export.csv"));
        File.Copy(keys, Path.Combine(genuine, "keys.jwks.json"));
        File.Copy(await ForgeCsvAsync(export, "python-forged.csv", resignWith: null, cancellationToken), Path.Combine(forged, "export.csv"));
        File.Copy(keys, Path.Combine(forged, "keys.jwks.json"));
        string digest;
        await using (var file = File.OpenRead(export))
            digest = ExportVerifier.Verify(file).Digest!;

        var (genuineExit, genuineOut, genuineError) = await RunAsync(python, genuine, [script], cancellationToken);
        var (forgedExit, _, forgedError) = await RunAsync(python, forged, [script], cancellationToken);

        Assert.True(genuineExit == 0, genuineError);
        Assert.Contains("final digest " + digest, genuineOut, StringComparison.Ordinal);
        Assert.Contains("signed by " + KeyIdOf(server.KeyPath), genuineOut, StringComparison.Ordinal);
        Assert.NotEqual(0, forgedExit);
        Assert.Contains("InvalidSignature", forgedError, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task AlteredExport_ExitsOne_NamingTheAlteredRow()
    {
        var (path, _) = await WriteExportAsync("altered.csv", TestContext.Current.CancellationToken);
        var text = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(path, text.Replace("\"250.50\"", "\"2500.50\"", StringComparison.Ordinal), new UTF8Encoding(true), TestContext.Current.CancellationToken);

        var (exitCode, _, stderr) = await VerifyAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        Assert.Contains("row 3 (line 5)", stderr, StringComparison.Ordinal);
        Assert.Contains("does not match", stderr, StringComparison.Ordinal);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("empty.csv", "", "empty")]
    [InlineData("garbage.bin", "\u0001\u0002binary\u0000", "not")]
    [InlineData("report.pdf", "%PDF-1.7\n", "PDF")]
    [InlineData("cut.ndjson", "{\"row\":0,\"kind\":\"export\"", "not valid JSON")]
    public async Task NotAnExport_ExitsOne_WithAClearMessage(string name, string content, string expected)
    {
        var path = Path.Combine(_folder.FullName, name);
        await File.WriteAllTextAsync(path, content, TestContext.Current.CancellationToken);

        var (exitCode, _, stderr) = await VerifyAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task MissingFile_ExitsTwo_AndNoArgumentPrintsTheUsage()
    {
        var (missing, _, missingError) = await VerifyAsync(Path.Combine(_folder.FullName, "nowhere.csv"), TestContext.Current.CancellationToken);
        Assert.Equal(2, missing);
        Assert.Contains("Cannot read", missingError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", missingError, StringComparison.Ordinal);

        await using var bare = AppCommand.StartTool(Path.Combine(_folder.FullName, "unused.db"), "verify-export");
        Assert.True(await bare.WaitForExitAsync(ExitBound, TestContext.Current.CancellationToken), bare.Describe());
        Assert.Equal(2, bare.ExitCode);
        Assert.Contains("verify-export FILE", bare.StandardError, StringComparison.Ordinal);
    }

    [Theory(Timeout = 180_000)]
    [InlineData("ndjson")]
    [InlineData("pdf")]
    public async Task ExportWithProofs_FromTheServer_ExitsZero_SayingHowManyEventsAreProvenAgainstWhichSeal(string format)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var export = await server.ExportWithProofsAsync(server.App, format, "proofs." + format, cancellationToken);
        var keys = await server.KeySetAsync(server.App, "proofs-keys-" + format + ".jwks.json", cancellationToken);

        var (exitCode, stdout, stderr) = await VerifyAsync(export, ["--jwks", keys], cancellationToken);

        Assert.True(exitCode == 0, stderr);
        Assert.Matches(@"Inclusion proofs: [\d,]+ events? proven against ledger seal \d+ \(", stdout);
        Assert.Matches(@"Ledger seal \d+ is signed by the dashboard's key " + Regex.Escape(KeyIdOf(server.KeyPath)), stdout);
    }

    [Fact(Timeout = 180_000)]
    public async Task ExportWithProofs_APathByteChangedAndTheChainRecomputed_ExitsOne_NamingTheProofRow()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var export = await server.ExportWithProofsAsync(server.App, "ndjson", "proofs-to-alter.ndjson", cancellationToken);
        var rows = ReadNdjsonRows(await File.ReadAllBytesAsync(export, cancellationToken));
        var proofRow = rows.FindIndex(r => r[1] == ExportRowKinds.Proof && r[ExportColumns.Data].Contains("\"auditPath\":[\"", StringComparison.Ordinal));
        var data = rows[proofRow][ExportColumns.Data];
        var at = data.IndexOf("\"auditPath\":[\"", StringComparison.Ordinal) + 14;
        rows[proofRow][ExportColumns.Data] = data[..at] + (data[at] == '0' ? '1' : '0') + data[(at + 1)..];
        var altered = await WriteNdjsonAsync(rows, "proofs-altered.ndjson", resignWith: null, cancellationToken);

        var (exitCode, _, stderr) = await VerifyAsync(altered, cancellationToken);

        Assert.Equal(1, exitCode);
        Assert.Contains($"row {proofRow} (line {proofRow + 1}), the proof of row {proofRow - 1}, does not prove its event: the audit path does not lead from leaf", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 180_000)]
    public async Task ExportWithProofs_ASealWhoseSignatureIsForged_ExitsOneWithTheKeys_EvenWithTheExportReSignedByTheDashboardsKey()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var export = await server.ExportWithProofsAsync(server.App, "ndjson", "proofs-seal.ndjson", cancellationToken);
        var keys = await server.KeySetAsync(server.App, "proofs-seal.jwks.json", cancellationToken);
        var rows = ReadNdjsonRows(await File.ReadAllBytesAsync(export, cancellationToken));
        var seal = rows[1][ExportColumns.Data];
        var at = seal.IndexOf("\"signature\":\"", StringComparison.Ordinal) + 13;
        rows[1][ExportColumns.Data] = seal[..at] + (seal[at] == 'A' ? 'B' : 'A') + seal[(at + 1)..];
        using var dashboardKey = ECDsa.Create();
        dashboardKey.ImportFromPem(await File.ReadAllTextAsync(server.KeyPath, cancellationToken));
        using var stolenKey = new SigningKeySet(dashboardKey, []);
        var forged = await WriteNdjsonAsync(rows, "proofs-seal-forged.ndjson", stolenKey, cancellationToken);

        var (withKeys, withKeysOut, withKeysError) = await VerifyAsync(forged, ["--jwks", keys], cancellationToken);
        var (withoutKeys, _, withoutKeysError) = await VerifyAsync(forged, cancellationToken);

        Assert.Equal(1, withKeys);
        Assert.Contains($"Authentic: signed by the dashboard's key {stolenKey.Current.KeyId}", withKeysOut, StringComparison.Ordinal);
        Assert.Contains($"NOT AUTHENTIC: row 1, ledger seal ", withKeysError, StringComparison.Ordinal);
        Assert.Contains($"its signature does not hold under key {stolenKey.Current.KeyId}", withKeysError, StringComparison.Ordinal);
        Assert.Equal(3, withoutKeys);
        Assert.Contains("Nor was the ledger seal's signature checked.", withoutKeysError, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _keys.Dispose();
        _folder.Delete(recursive: true);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> VerifyAsync(string path, CancellationToken cancellationToken) =>
        VerifyAsync(path, [], cancellationToken);

    private async Task<(int ExitCode, string Stdout, string Stderr)> VerifyAsync(string path, string[] options, CancellationToken cancellationToken)
    {
        await using var tool = AppCommand.StartTool(Path.Combine(_folder.FullName, "unused.db"), ["verify-export", path, .. options]);
        Assert.True(await tool.WaitForExitAsync(ExitBound, cancellationToken), tool.Describe());
        output.WriteLine(tool.Describe());
        return (tool.ExitCode, tool.StandardOutput, tool.StandardError);
    }

    private async Task<string> WritePublicKeyAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(_folder.FullName, "public.pem");
        await File.WriteAllTextAsync(path, _keys.Current.ToPem(), cancellationToken);
        return path;
    }

    private static string KeyIdOf(string pemPath)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(pemPath));
        return PublicSigningKey.From(key, current: true).KeyId;
    }

    /// <summary>
    /// The CSV with row 1's reason changed and every hash from there on recomputed by the documented recipe, as anyone who
    /// edits a file can; the signature row is kept, or replaced by <paramref name="resignWith"/>'s signature of the new hashes.
    /// </summary>
    private async Task<string> ForgeCsvAsync(string source, string name, ISigningKeys? resignWith, CancellationToken cancellationToken)
    {
        var rows = new List<string[]>();
        using (var parser = new CsvParser(new StringReader(await File.ReadAllTextAsync(source, cancellationToken)), CultureInfo.InvariantCulture))
        {
            parser.Read(); // the column names
            while (parser.Read())
                rows.Add([.. parser.Record!.Select(CsvCells.Restore)]);
        }

        rows[1][9] = "Changed after the export";
        var previous = ExportChain.Genesis;
        foreach (var row in rows)
        {
            if (resignWith is not null && row[1] == ExportRowKinds.Signature)
                row[ExportColumns.Data] = ExportSignature.Sign(resignWith, rows[0][^1], previous).ToJson();
            row[^1] = ExportChain.Compute(previous, row[..^1]);
            previous = row[^1];
        }

        var path = Path.Combine(_folder.FullName, name);
        await using var file = File.Create(path);
        await using var writer = new CsvExportWriter(file);
        foreach (var row in rows)
            await writer.WriteRowAsync(new ExportRow(row[..^1], row[^1]), cancellationToken);
        await writer.CompleteAsync(cancellationToken);
        return path;
    }

    /// <summary>Each row of an NDJSON export: its fields in column order, its hash last.</summary>
    private static List<string[]> ReadNdjsonRows(byte[] ndjson) =>
    [
        .. Encoding.UTF8.GetString(ndjson).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var document = System.Text.Json.JsonDocument.Parse(line);
            return ExportColumns.All.Select(name => document.RootElement.GetProperty(name) switch
            {
                { ValueKind: System.Text.Json.JsonValueKind.Null } => "",
                { ValueKind: System.Text.Json.JsonValueKind.Number } number => number.GetRawText(),
                var text => text.GetString()!,
            }).ToArray();
        }),
    ];

    /// <summary>The rows as an NDJSON export with every hash recomputed; the signature row re-signed by <paramref name="resignWith"/> when given.</summary>
    private async Task<string> WriteNdjsonAsync(List<string[]> rows, string name, ISigningKeys? resignWith, CancellationToken cancellationToken)
    {
        var previous = ExportChain.Genesis;
        var path = Path.Combine(_folder.FullName, name);
        await using var file = File.Create(path);
        await using var writer = new NdjsonExportWriter(file);
        foreach (var row in rows)
        {
            if (resignWith is not null && row[1] == ExportRowKinds.Signature)
                row[ExportColumns.Data] = ExportSignature.Sign(resignWith, rows[0][^1], previous).ToJson();
            row[^1] = ExportChain.Compute(previous, row[..^1]);
            previous = row[^1];
            await writer.WriteRowAsync(new ExportRow(row[..^1], row[^1]), cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
        return path;
    }

    /// <summary>The Python checks of an export that docs/exports.md documents (the chain, then the signature), in order, as one script.</summary>
    private static string DocumentedPython()
    {
        var document = File.ReadAllText(Path.Combine(AppLocation.RepositoryRoot, "docs", "exports.md"));
        var blocks = Regex.Matches(document, "```python\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count == 2, $"docs/exports.md should hold the chain's and the signature's Python checks; it holds {blocks.Count} Python blocks.");
        return string.Join("\n", blocks);
    }

    /// <summary>python3 with the cryptography package; fails on CI without them (.ci/run installs them) and skips elsewhere.</summary>
    private static async Task<string> RequirePythonWithCryptographyAsync(CancellationToken cancellationToken)
    {
        string? problem;
        try
        {
            var (exitCode, _, error) = await RunAsync("python3", Path.GetTempPath(), ["-c", "import cryptography"], cancellationToken);
            problem = exitCode == 0 ? null : "python3 cannot import cryptography: " + error.Trim();
        }
        catch (Win32Exception ex)
        {
            problem = "python3 was not found: " + ex.Message;
        }

        if (problem is null)
            return "python3";
        var message = problem + " (install python3-cryptography: docs/exports.md's Python check of a signed export needs it)";
        if (Environment.GetEnvironmentVariable("CI") == "true")
            Assert.Fail(message);
        Assert.Skip(message);
        return "python3";
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string program, string workingDirectory, string[] arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        await using var process = ChildProcess.Start(startInfo);
        Assert.True(await process.WaitForExitAsync(ExitBound, cancellationToken), process.Describe());
        return (process.ExitCode, process.StandardOutput, process.StandardError);
    }

    private async Task<(string Path, ExportSummary Summary)> WriteExportAsync(string name, CancellationToken cancellationToken, bool signed = true)
    {
        var t0 = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        AccountEvent[] events =
        [
            new AccountOpened("ACC-CLI", "Cleo Line", "EUR"),
            new FundsDeposited(100m, "EUR", "T1"),
            new FundsDeposited(250.50m, "EUR", "T2"),
            new FundsWithdrawn(20m, "EUR", "T3"),
        ];
        var state = AccountState.Initial("ACC-CLI");
        var entries = new List<ExportEntry>();
        for (var i = 0; i < events.Length; i++)
        {
            var data = AccountEventCodec.Encode(Guid.NewGuid(), events[i], new EventMetadata("teller", "=SUM(A1:A9)", "c-1", null, "tests"));
            var record = new RecordedEvent(AccountIds.StreamOf("ACC-CLI"), i, i + 1, data.EventId, data.EventType, data.Data, data.Metadata, t0.AddMinutes(i));
            var entry = TimelineEntry.Next(state, record);
            state = entry.StateAfter;
            entries.Add(new ExportEntry(entry, state));
        }

        var path = Path.Combine(_folder.FullName, name);
        var header = new ExportHeader(Guid.NewGuid(), "ACC-CLI", ReplayView.Recorded, ExportRange.All, ExportFormat.Csv, "carla", t0.AddDays(1));
        await using var file = File.Create(path);
        await using var writer = new CsvExportWriter(file);
        var summary = await TimelineExport.WriteAsync(header, entries.ToAsyncEnumerable(), writer, signed ? _keys : null, cancellationToken: cancellationToken);
        return (path, summary);
    }
}
