using System.Security.Cryptography;
using AuditDashboard.Core.Signing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuditDashboard.Tests.Api;

[Collection(SharedDashboardHost.Name)]
public sealed class SigningKeyApiTests(DashboardHost host)
{
    private const string KeysUrl = "/api/exports/keys";

    [Fact(Timeout = 30_000)]
    public async Task Keys_WithoutCredentials_Answers401()
    {
        using var client = host.CreateClient();

        using var response = await client.GetAsync(KeysUrl, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task Keys_ForAnOperator_AreTheKeySetThatVerifiesWhatTheServerSigns()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        var signer = host.Factory.Services.GetRequiredService<ISigningKeys>();
        byte[] data = [7, 7, 7];

        using var response = await client.GetAsync(KeysUrl + "?download=true", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jwk-set+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString() ?? "", StringComparison.Ordinal);
        var keys = JsonWebKeySet.Read(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var current = Assert.Single(keys, k => k.Current);
        Assert.Equal(signer.Current.KeyId, current.KeyId);
        Assert.True(current.Verifies(data, signer.Sign(data)));
    }

    [Fact(Timeout = 30_000)]
    public async Task OneKey_AsPem_IsThePublishedKey_AndAnUnknownIdIs404()
    {
        using var client = host.CreateClient(DashboardFactory.OperatorKey);
        var keyId = host.Factory.Services.GetRequiredService<ISigningKeys>().Current.KeyId;

        var pem = await client.GetStringAsync($"{KeysUrl}/{keyId}", TestContext.Current.CancellationToken);
        using var unknown = await client.GetAsync($"{KeysUrl}/not-a-key", TestContext.Current.CancellationToken);

        using var key = ECDsa.Create();
        key.ImportFromPem(pem);
        Assert.Equal(keyId, PublicSigningKey.From(key, current: true).KeyId);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}

public sealed class SigningKeySettingsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact(Timeout = 60_000)]
    public async Task ConfiguredKeyAndARetiredOne_ArePublished_TheConfiguredOneCurrent()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var currentPath = WriteKey("current.pem", out var currentId);
        var retiredPath = WriteKey("retired.pem", out var retiredId);
        await using var app = new DashboardFactory(new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = _folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            ["Exports:SigningKey:Path"] = currentPath,
            ["Exports:SigningKey:RetiredKeys:0"] = retiredPath,
        });

        var services = await StartupChecks.StartAsync(app, cancellationToken);

        var published = services.GetRequiredService<ISigningKeys>().Published;
        Assert.Equal([(currentId, true), (retiredId, false)], published.Select(k => (k.KeyId, k.Current)));
    }

    [Fact(Timeout = 60_000)]
    public async Task OutsideDevelopment_WithoutAKey_StartUpStopsWithOneLineNamingTheSetting()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var app = new ProductionFactory(new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = _folder.ConnectionString,
            ["EventStore:CreateIfMissing"] = "true",
            ["DemoData:SeedOnFirstStart"] = "false",
        });

        var failure = await Record.ExceptionAsync(() => StartupChecks.StartAsync(app, cancellationToken));

        Assert.NotNull(failure);
        var report = Assert.Single(app.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.StartsWith("The signing key is not usable: Exports:SigningKey:Path is not set", report.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', report.Message);
        await StartupChecks.DisposeAfterFailedStartAsync(app);
    }

    [Fact(Timeout = 60_000)]
    public async Task AKeyFileThatIsNotAPrivateKey_StopsStartUpNamingTheFile()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var path = Path.Combine(_folder.Path, "public-only.pem");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            await File.WriteAllTextAsync(path, key.ExportSubjectPublicKeyInfoPem(), cancellationToken);
        var app = new DashboardFactory(new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = _folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            ["Exports:SigningKey:Path"] = path,
        });

        var failure = await Record.ExceptionAsync(() => StartupChecks.StartAsync(app, cancellationToken));

        Assert.NotNull(failure);
        var report = Assert.Single(app.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Contains($"'{path}' holds no private key", report.Message, StringComparison.Ordinal);
        await StartupChecks.DisposeAfterFailedStartAsync(app);
    }

    private string WriteKey(string name, out string keyId)
    {
        var path = Path.Combine(_folder.Path, name);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        keyId = PublicSigningKey.From(key, current: true).KeyId;
        return path;
    }

    /// <summary>The app as it runs in production: no development users, keys or generated signing key.</summary>
    private sealed class ProductionFactory(IReadOnlyDictionary<string, string?> settings) : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
    {
        public CapturedLogs Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(Environments.Production);
            builder.ConfigureAppConfiguration(configuration => Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(configuration, settings));
            builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Logs));
        }
    }
}
