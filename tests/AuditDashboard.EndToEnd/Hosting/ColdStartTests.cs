using System.Globalization;
using System.Net.Http.Json;

namespace AuditDashboard.EndToEnd.Hosting;

public sealed class ColdStartTests(ITestOutputHelper output)
{
    /// <summary>The acceptance bound for a first start that seeds the demo accounts.</summary>
    private static readonly TimeSpan ColdStartBound = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 90_000)]
    public async Task ColdStart_OnAnEmptyFolderWithDemoSeeding_IsReadyWithinTwentySeconds()
    {
        await using var app = new AppProcess { SeedDemoData = true };

        await app.InitializeAsync();

        var figure = string.Create(CultureInfo.InvariantCulture, $"Cold start to /health/ready with demo seeding: {app.TimeToReady.TotalSeconds:F2} s (bound {ColdStartBound.TotalSeconds:0} s).");
        output.WriteLine(figure);
        Assert.True(app.TimeToReady < ColdStartBound, $"{figure}\n{app.Process.Describe()}");
        Assert.Contains("Seeded 50 demo accounts", app.Process.StandardOutput, StringComparison.Ordinal);
        using var api = app.CreateApiClient();
        var accounts = await api.GetFromJsonAsync<ApiAccountList>("api/accounts?take=1", TestContext.Current.CancellationToken);
        Assert.Equal(50, accounts?.Total);
    }
}
