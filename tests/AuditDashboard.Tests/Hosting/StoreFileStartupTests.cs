using AuditDashboard.Hosting;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuditDashboard.Tests.Hosting;

/// <summary>
/// What the real app does at start with the store file it is given: a file damaged mid-file, a file it may not write,
/// a read-only store on purpose, a path that does not exist and an empty file. Each test makes a real SQLite file (or
/// none) and starts the app in memory over it.
/// </summary>
public sealed class StoreFileStartupTests : IDisposable
{
    private const string SupportKey = "dev-support-key-2b8e41";
    private readonly TempFolder _folder = new();

    [Fact(Timeout = 120_000)]
    public async Task Start_OnAStoreFileDamagedMidFile_IsNotReady_LogsTheFileAndWhatQuickCheckFound_AndRefusesReads()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await WriteLedgerAsync(accounts: 40, eventsPerAccount: 100, cancellationToken);
        DamageMidFile(_folder.DatabasePath);
        await using var factory = new DashboardFactory(Settings());
        await using var app = factory.WithWebHostBuilder(builder => builder.UseSetting("Kafka:Enabled", "false"));
        await StartupChecks.StartAsync(app, cancellationToken);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var (status, body) = await ReadinessAfterCheckAsync(app, client, cancellationToken);
        using var browser = new BrowserSession(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));
        using var signIn = await browser.SignInAsync("olivia", DashboardFactory.DevPassword, cancellationToken);
        using var page = await browser.GetAsync("/accounts", cancellationToken);
        client.DefaultRequestHeaders.Add("X-Api-Key", DashboardFactory.OperatorKey);
        using var account = await client.GetAsync(new Uri("/api/accounts/DMG-0001", UriKind.Relative), cancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"The event store file '{_folder.DatabasePath}' is damaged: PRAGMA quick_check reports ", body, StringComparison.Ordinal);
        var logged = Assert.Single(factory.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Contains("is damaged", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', logged.Message);
        Assert.Contains(_folder.DatabasePath, logged.Message, StringComparison.Ordinal);
        Assert.Contains("PRAGMA quick_check reports ", logged.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, account.StatusCode);
        Assert.Contains("is damaged", await account.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"store-damaged\"", await page.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_OnAnIntactStoreFile_BecomesReadyOnceQuickCheckPasses_AndLogsHowLongItTook()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await WriteLedgerAsync(accounts: 2, eventsPerAccount: 10, cancellationToken);
        await using var factory = new DashboardFactory(Settings());
        await using var app = factory.WithWebHostBuilder(builder => builder.UseSetting("Kafka:Enabled", "false"));
        await StartupChecks.StartAsync(app, cancellationToken);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var (status, body) = await ReadinessAfterCheckAsync(app, client, cancellationToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body);
        Assert.Contains(factory.Logs.Entries, e => e.Level == LogLevel.Information
            && e.Message.StartsWith($"The event store file '{_folder.DatabasePath}' passed PRAGMA quick_check in ", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_OnAStoreFileTheSystemWillNotLetItWrite_StopsWithOneLineNamingTheFile()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await WriteLedgerAsync(accounts: 1, eventsPerAccount: 3, cancellationToken);
        using var readOnly = ReadOnlyFile.Make(_folder.DatabasePath);
        var written = WriteFails(_folder.DatabasePath);
        var before = await File.ReadAllBytesAsync(_folder.DatabasePath, cancellationToken);
        var factory = new DashboardFactory(Settings());
        var app = factory.WithWebHostBuilder(builder => builder.UseSetting("Kafka:Enabled", "false"));

        var report = await StartupChecks.AssertStartUpRefusedAsync(factory, app, _folder.DatabasePath, cancellationToken);

        Assert.Equal(8, written.SqliteErrorCode);
        Assert.Contains("is read-only", report.Message, StringComparison.Ordinal);
        Assert.Contains("EventStore:ReadOnly=true", report.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(_folder.DatabasePath, cancellationToken));
        await factory.DisposeAsync();
    }

    [Fact(Timeout = 90_000)]
    public async Task Start_ReadOnlyOnPurpose_ServesReads_RefusesCommandsWith503_AndEveryPageSaysReadOnly()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await WriteLedgerAsync(accounts: 1, eventsPerAccount: 3, cancellationToken);
        var before = await File.ReadAllBytesAsync(_folder.DatabasePath, cancellationToken);
        await using var factory = new DashboardFactory(Settings(("EventStore:ReadOnly", "true")));
        await using var app = factory.WithWebHostBuilder(builder => builder.UseSetting("EventStore:ReadOnly", "true").UseSetting("Kafka:Enabled", "false"));
        await StartupChecks.StartAsync(app, cancellationToken);
        using var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var support = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        support.DefaultRequestHeaders.Add("X-Api-Key", SupportKey);
        using var browser = new BrowserSession(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));

        var (status, body) = await ReadinessAfterCheckAsync(app, anonymous, cancellationToken);
        using var read = await support.GetAsync(new Uri("/api/accounts/DMG-0001", UriKind.Relative), cancellationToken);
        using var correction = await support.PostAsJsonAsync(new Uri("/api/accounts/DMG-0001/corrections", UriKind.Relative), new
        {
            kind = "adjustment",
            amount = 5m,
            reason = "Fee charged twice by the gateway",
            expectedRevision = 2,
            commandId = Guid.NewGuid(),
        }, cancellationToken);
        using var signIn = await browser.SignInAsync("sam", DashboardFactory.DevPassword, cancellationToken);
        using var page = await browser.GetAsync("/accounts", cancellationToken);
        using var loginPage = await anonymous.GetAsync(new Uri("/login", UriKind.Relative), cancellationToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("Degraded\nevent-store: ", body, StringComparison.Ordinal);
        Assert.Contains("read-only on purpose (EventStore:ReadOnly=true)", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, correction.StatusCode);
        Assert.Equal("application/problem+json", correction.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await correction.Content.ReadAsStringAsync(cancellationToken));
        Assert.StartsWith("The event store is read-only", problem.RootElement.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"store-read-only\"", await page.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
        Assert.Contains("Read-only:", await loginPage.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
        await app.DisposeAsync();
        Assert.Equal(before, await File.ReadAllBytesAsync(_folder.DatabasePath, cancellationToken));
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_OutsideDevelopment_OnAPathThatDoesNotExist_StopsNamingThePath_AndCreatesNothing()
    {
        var missing = Path.Combine(_folder.Path, "tpyo", "audit.db");
        var factory = new DashboardFactory(Settings(("EventStore:ConnectionString", $"Data Source={missing}")));
        var app = factory.WithWebHostBuilder(builder => builder.UseEnvironment(Environments.Production).UseSetting("Kafka:Enabled", "false"));

        var report = await StartupChecks.AssertStartUpRefusedAsync(factory, app, missing, TestContext.Current.CancellationToken);

        Assert.Contains("does not exist", report.Message, StringComparison.Ordinal);
        Assert.Contains("EventStore:CreateIfMissing=true", report.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
        await factory.DisposeAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_OutsideDevelopment_OnAnEmptyFile_StopsNamingThePath_AndLeavesItEmpty()
    {
        await File.WriteAllBytesAsync(_folder.DatabasePath, [], TestContext.Current.CancellationToken);
        var factory = new DashboardFactory(Settings());
        var app = factory.WithWebHostBuilder(builder => builder.UseEnvironment(Environments.Production).UseSetting("Kafka:Enabled", "false"));

        var report = await StartupChecks.AssertStartUpRefusedAsync(factory, app, _folder.DatabasePath, TestContext.Current.CancellationToken);

        Assert.Contains("is empty (0 bytes)", report.Message, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(_folder.DatabasePath).Length);
        await factory.DisposeAsync();
    }

    [Theory(Timeout = 60_000)]
    [InlineData("Production", "true")]
    [InlineData("Development", null)]
    public async Task Start_OnAPathThatDoesNotExist_CreatesTheStore_InDevelopmentOrWhenAskedTo(string environment, string? createIfMissing)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var fresh = Path.Combine(_folder.Path, "new", "audit.db");
        await using var factory = new DashboardFactory(Settings(("EventStore:ConnectionString", $"Data Source={fresh}"), ("EventStore:CreateIfMissing", createIfMissing)));
        await using var app = factory.WithWebHostBuilder(builder => builder.UseEnvironment(environment).UseSetting("Kafka:Enabled", "false"));

        await StartupChecks.StartAsync(app, cancellationToken);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var (status, _) = await ReadinessAfterCheckAsync(app, client, cancellationToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(new FileInfo(fresh).Length > 0);
    }

    public void Dispose() => _folder.Dispose();

    private Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = _folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            ["Kafka:Enabled"] = "false",

            // Outside Development the app makes no signing key of its own.
            [TestSigningKey.Setting] = TestSigningKey.Path,
        };
        foreach (var (key, value) in more)
            settings[key] = value;
        return settings;
    }

    /// <summary>A real store file written by the store itself, then closed (its write-ahead log checkpointed into it).</summary>
    private async Task WriteLedgerAsync(int accounts, int eventsPerAccount, CancellationToken cancellationToken)
    {
        await using var store = await Ledger.OpenStoreAsync(_folder, cancellationToken);
        for (var a = 1; a <= accounts; a++)
        {
            var id = $"DMG-{a:0000}";
            await Ledger.OpenAsync(store, id, $"Owner {a}", "EUR", 100m, cancellationToken);
            var deposits = Enumerable.Range(0, eventsPerAccount - 2)
                .Select(i => Ledger.Encode(new FundsDeposited(10m + i, "EUR", $"REF-{a}-{i}"), Ledger.By("olivia", "Card payment received")))
                .ToList();
            if (deposits.Count > 0)
                await Ledger.AppendAsync(store, id, deposits, cancellationToken);
        }
    }

    /// <summary>8 KB of random bytes written into the middle of the file, as a failing disk or a stray writer would.</summary>
    private static void DamageMidFile(string path)
    {
        Assert.False(File.Exists(path + "-wal") && new FileInfo(path + "-wal").Length > 0, "The store left a write-ahead log: the damage would miss the data.");
        var noise = new byte[8192];
        new Random(20261127).NextBytes(noise);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        Assert.True(file.Length > 4 * noise.Length, $"The file is too small ({file.Length} bytes) to damage in its middle.");
        file.Position = file.Length / 2;
        file.Write(noise);
    }

    /// <summary>What a plain write through SQLite says on the file: proof that it really cannot be written.</summary>
    private static SqliteException WriteFails(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadWrite;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE proof (x INTEGER)";
        return Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());
    }

    /// <summary>
    /// Polls /health/ready until the store file's check has finished (whether readiness waited for it or not) and, unless
    /// the file is damaged, the read models have caught up (or a minute passed), and returns its answer.
    /// </summary>
    private static async Task<(HttpStatusCode Status, string Body)> ReadinessAfterCheckAsync(WebApplicationFactory<Program> app, HttpClient client, CancellationToken cancellationToken)
    {
        var condition = app.Services.GetRequiredService<StoreCondition>();
        (HttpStatusCode Status, string Body) last = default;
        await Eventually.UntilAsync(
            async ct =>
            {
                var checkFinished = condition.Integrity is not (StoreIntegrity.Checking or StoreIntegrity.CheckingInBackground);
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
                last = (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
                var catchingUp = last.Body.Contains("read-models: catching up", StringComparison.Ordinal) && !last.Body.Contains("is damaged", StringComparison.Ordinal);
                return checkFinished && !last.Body.Contains("is being checked", StringComparison.Ordinal) && !catchingUp;
            },
            "readiness to answer after the store check and the catch-up",
            TimeSpan.FromMinutes(1),
            cancellationToken,
            () => $"the last answer was {(int)last.Status}: {last.Body}");
        return last;
    }
}
