using System.Text.Json.Nodes;
using AuditDashboard.Core.Integrity;
using AuditDashboard.Core.Signing;
using AuditDashboard.Integrity;

namespace AuditDashboard.Tests.Integrity;

/// <summary>
/// Inclusion and consistency proofs over the API, checked by docs/verify_proofs.py (RFC 6962 in Python, not our code), and
/// the seals copied to the file sink.
/// </summary>
public sealed class ProofApiTests(SealedDashboard app) : IClassFixture<SealedDashboard>
{
    private const string SupportKey = "dev-support-key-2b8e41";

    [Fact(Timeout = 60_000)]
    public async Task InclusionProof_OfAnAccountEvent_VerifiesInPython_WithTheSealSignature_AndAnAlteredPathDoesNot()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var client = Client(DashboardFactory.OperatorKey);
        var proofFile = Path.Combine(app.FolderPath, "inclusion.json");
        var keysFile = Path.Combine(app.FolderPath, "keys.json");
        await File.WriteAllTextAsync(keysFile, await client.GetStringAsync("/api/exports/keys", cancel), cancel);

        var proof = await client.GetStringAsync($"/api/accounts/{SealedDashboard.Account}/events/3/proof", cancel);
        await File.WriteAllTextAsync(proofFile, proof, cancel);
        var (exitCode, output) = await PythonVerifier.RunAsync(cancel, "inclusion", proofFile, "--jwks", keysFile);

        Assert.True(exitCode == 0, output);
        Assert.Contains("OK: account-PRF-0001 revision 3", output, StringComparison.Ordinal);
        Assert.Contains("seal signatures hold", output, StringComparison.Ordinal);

        var altered = JsonNode.Parse(proof)!.AsObject();
        var path = altered["auditPath"]!.AsArray();
        var first = path[0]!.GetValue<string>();
        path[0] = (first[0] == '0' ? "1" : "0") + first[1..];
        await File.WriteAllTextAsync(proofFile, altered.ToJsonString(), cancel);
        var (alteredExit, alteredOutput) = await PythonVerifier.RunAsync(cancel, "inclusion", proofFile);
        Assert.Equal(1, alteredExit);
        Assert.Contains("does not lead from leaf", alteredOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task ConsistencyProof_BetweenTheFirstAndLatestSeal_VerifiesInPython_AndNotAgainstAnotherOlderRoot()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var client = Client(DashboardFactory.OperatorKey);
        var latest = app.Integrity.LastSeal!;
        var proofFile = Path.Combine(app.FolderPath, "consistency.json");

        var proof = await client.GetStringAsync($"/api/seals/consistency?from=1&to={latest.Number}", cancel);
        await File.WriteAllTextAsync(proofFile, proof, cancel);
        var (exitCode, output) = await PythonVerifier.RunAsync(cancel, "consistency", proofFile);

        Assert.True(latest.Number >= 4, $"Sealing every 2 of 10 events should make several seals; the latest is {latest.Number}.");
        Assert.True(exitCode == 0, output);
        Assert.Contains($"OK: seal {latest.Number}", output, StringComparison.Ordinal);

        var forged = JsonNode.Parse(proof)!.AsObject();
        forged["from"]!["rootHash"] = Convert.ToHexStringLower(MerkleHash.Leaf([1]));
        await File.WriteAllTextAsync(proofFile, forged.ToJsonString(), cancel);
        var (forgedExit, forgedOutput) = await PythonVerifier.RunAsync(cancel, "consistency", proofFile);
        Assert.Equal(1, forgedExit);
        Assert.Contains("does not extend", forgedOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Proof_WithoutCredentials_Is401_AndForAnEventThatDoesNotExist_Is404()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var anonymous = Client(null);
        using var operatorClient = Client(DashboardFactory.OperatorKey);

        using var unauthenticated = await anonymous.GetAsync($"/api/accounts/{SealedDashboard.Account}/events/0/proof", cancel);
        using var missing = await operatorClient.GetAsync($"/api/accounts/{SealedDashboard.Account}/events/99/proof", cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task FullCheck_IsRefusedToAnOperator_AndRunsForSupport_FindingTheLedgerIntact()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var operatorClient = Client(DashboardFactory.OperatorKey);
        using var support = Client(SupportKey);
        var before = app.Integrity.LastFullCheck?.FinishedAt;

        using var refused = await operatorClient.PostAsync("/api/integrity/check", null, cancel);
        using var started = await support.PostAsync("/api/integrity/check", null, cancel);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.True(started.IsSuccessStatusCode, started.StatusCode.ToString());
        await Eventually.UntilAsync(
            () => app.Integrity.LastFullCheck?.FinishedAt != before && app.Integrity.Checking is null, "the started check to finish", Ledger.Patience, cancel);
        Assert.True(app.Integrity.LastFullCheck!.Intact, app.Integrity.LastFullCheck.Summary);
        Assert.Null(app.Integrity.Violation);
    }

    [Fact(Timeout = 30_000)]
    public async Task FileSink_HoldsOneSignedJsonLinePerSeal()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var client = Client(DashboardFactory.OperatorKey);
        var keys = JsonWebKeySet.Read(await client.GetStringAsync("/api/exports/keys", cancel));
        var latest = app.Integrity.LastSeal!;

        var lines = await File.ReadAllLinesAsync(app.SealFile, cancel);

        var seals = lines.Select(l => LedgerSeal.Parse(System.Text.Encoding.UTF8.GetBytes(l))).ToList();
        Assert.Equal(Enumerable.Range(1, seals.Count).Select(n => (long)n), seals.Select(s => s.Number));
        Assert.Contains(latest, seals);
        Assert.All(seals, s => Assert.True(s.IsSignedBy(keys), $"seal {s.Number}"));
    }

    [Fact(Timeout = 30_000)]
    public async Task IntegrityPage_ShowsTheLastSealAndTheLastFullCheck_AndTheCheckButtonOnlyToSupport()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var operatorClient = Client(DashboardFactory.OperatorKey);
        using var support = Client(SupportKey);
        var seal = app.Integrity.LastSeal!;

        var operatorPage = System.Net.WebUtility.HtmlDecode(await operatorClient.GetStringAsync("/integrity", cancel));
        var supportPage = System.Net.WebUtility.HtmlDecode(await support.GetStringAsync("/integrity", cancel));

        Assert.Contains($"Seal {seal.Number}: {seal.TreeSize:N0} events", operatorPage, StringComparison.Ordinal);
        Assert.Contains(seal.RootHash, operatorPage, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"integrity-seal-age\"", operatorPage, StringComparison.Ordinal);
        Assert.Contains("Intact", operatorPage, StringComparison.Ordinal);
        Assert.DoesNotContain("integrity-start-check", operatorPage, StringComparison.Ordinal);
        Assert.Contains("integrity-start-check", supportPage, StringComparison.Ordinal);
    }

    private HttpClient Client(string? apiKey)
    {
        var client = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (apiKey is not null)
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }
}
