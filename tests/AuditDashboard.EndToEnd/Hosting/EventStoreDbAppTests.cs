#if EVENTSTOREDB_REAL_SERVER
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AuditDashboard.Core.Export;

namespace AuditDashboard.EndToEnd.Hosting;

/// <summary>
/// The whole dashboard on a real EventStoreDB / KurrentDB node named by EVENTSTOREDB_TEST_CONNECTION (compiled only when
/// it is set at build time): demo accounts seeded when the node holds none, a correction posted, the Kafka mirror
/// publishing through the node's persistent subscription <c>kafka-mirror</c>, and an export that verifies.
/// </summary>
public sealed class EventStoreDbAppTests(ITestOutputHelper output)
{
    private const string ComplianceKey = "dev-compliance-key-c05d6e";

    [Fact(Timeout = 240_000)]
    public async Task TheDashboard_OnEventStoreDb_Seeds_Corrects_Mirrors_AndExports()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var connection = Environment.GetEnvironmentVariable("EVENTSTOREDB_TEST_CONNECTION");
        Assert.False(string.IsNullOrWhiteSpace(connection), "EVENTSTOREDB_TEST_CONNECTION was set when the tests were built but is not set now.");
        await using var app = new AppProcess
        {
            Settings = new Dictionary<string, string>
            {
                ["EventStore__Provider"] = "EventStoreDb",
                ["EventStore__ConnectionString"] = connection,

                // The node keeps every seal of every run, the adapter tests' included, and the app checks them all at start:
                // it signs with their fixed key, or a seal it cannot verify keeps it from ever being ready.
                ["Exports__SigningKey__Path"] = Path.Combine(AppContext.BaseDirectory, "real-server-signing-key.pem"),
            },
        };
        await app.InitializeAsync();
        output.WriteLine($"ready in {app.TimeToReady.TotalSeconds:F1} s");

        using var operatorApi = app.CreateApiClient();
        using var supportApi = app.CreateApiClient(AppCommand.SupportApiKey);
        using var complianceApi = app.CreateApiClient(ComplianceKey);

        // Seeded on first start (or seeded before by an earlier run on the same node): the demo accounts are there.
        var account = await EventuallyAsync("the demo accounts", async () =>
        {
            using var list = JsonDocument.Parse(await operatorApi.GetStringAsync("api/accounts?search=ACC-10000&take=50", cancellation));
            return list.RootElement.GetProperty("items").EnumerateArray()
                .Where(a => a.GetProperty("status").GetString() == "Open")
                .Select(a => a.GetProperty("accountId").GetString())
                .FirstOrDefault();
        }, cancellation);

        // A correction, written through the adapter and read back.
        using var before = JsonDocument.Parse(await operatorApi.GetStringAsync($"api/accounts/{account}", cancellation));
        var revision = before.RootElement.GetProperty("revision").GetInt64();
        var balance = before.RootElement.GetProperty("balance").GetDecimal();
        using var posted = await supportApi.PostAsJsonAsync($"api/accounts/{account}/corrections", new
        {
            kind = "adjustment",
            amount = 1.25m,
            reason = "Rounding difference found on the real-server run",
            expectedRevision = revision,
            commandId = Guid.NewGuid(),
        }, cancellation);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        using var after = JsonDocument.Parse(await operatorApi.GetStringAsync($"api/accounts/{account}", cancellation));
        Assert.Equal(revision + 1, after.RootElement.GetProperty("revision").GetInt64());
        Assert.Equal(balance + 1.25m, after.RootElement.GetProperty("balance").GetDecimal());

        // An export of the account verifies, and names the correction.
        using var export = await complianceApi.GetAsync($"api/accounts/{account}/export?format=csv", cancellation);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var bytes = await export.Content.ReadAsByteArrayAsync(cancellation);
        var result = ExportVerifier.Verify(new MemoryStream(bytes));
        Assert.True(result.IsValid, result.Message);
        Assert.Equal(revision + 2, result.Count);
        Assert.Contains("Rounding difference found on the real-server run", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);

        // The mirror catches up: nothing waits and nothing is parked. The export above wrote to audit-access after the last
        // account event, so the lag is read from a position inside the log, not at its end.
        await EventuallyAsync("the mirror to catch up", async () =>
        {
            using var status = JsonDocument.Parse(await operatorApi.GetStringAsync("api/mirror/status", cancellation));
            var root = status.RootElement;
            output.WriteLine(root.ToString());
            Assert.Equal(JsonValueKind.Null, root.GetProperty("storeError").ValueKind);
            return root.GetProperty("state").GetString() == "running" && root.GetProperty("lagEvents").GetInt64() == 0 && root.GetProperty("parkedCount").GetInt64() == 0
                ? "caught up"
                : null;
        }, cancellation);
    }

    private static async Task<string> EventuallyAsync(string what, Func<Task<string?>> probe, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (await probe() is { } found)
                return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Waited 90 s for {what}.");
            await Task.Delay(500, cancellationToken);
        }
    }
}
#endif
