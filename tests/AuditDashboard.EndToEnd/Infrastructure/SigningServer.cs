using System.Net;
using System.Security.Cryptography;

namespace AuditDashboard.EndToEnd.Infrastructure;

/// <summary>
/// The dashboard as a child process signing with a key of the test's own (<c>Exports:SigningKey:Path</c>), its demo accounts
/// seeded, with helpers to save what a reviewer downloads: exports and the published keys.
/// </summary>
public sealed class SigningServer : IAsyncLifetime
{
    /// <summary>The ComplianceReviewer key of the root appsettings.Development.json: the role that may export.</summary>
    public const string ComplianceApiKey = "dev-compliance-key-c05d6e";

    /// <summary>A demo account the first start seeds.</summary>
    public const string Account = "ACC-100001";

    private readonly TempFolder _folder = new();
    private AppProcess? _app;

    /// <summary>A folder for the test's files (keys, downloads), deleted with the server.</summary>
    public string Folder => _folder.Path;

    /// <summary>The private key the server signs with.</summary>
    public string KeyPath => Path.Combine(Folder, "signing-key.pem");

    public AppProcess App => _app ?? throw new InvalidOperationException("The server starts in InitializeAsync.");

    public async ValueTask InitializeAsync()
    {
        WriteNewKey(KeyPath);
        _app = new AppProcess { Settings = new Dictionary<string, string> { ["Exports__SigningKey__Path"] = KeyPath } };
        await _app.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>Writes a new ECDSA P-256 private key (PKCS#8 PEM) to <paramref name="path"/>.</summary>
    public static void WriteNewKey(string path)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Exports <see cref="Account"/> from <paramref name="app"/> in <paramref name="format"/> as a Compliance reviewer and saves it.</summary>
    public async Task<string> ExportAsync(AppProcess app, string format, string name, CancellationToken cancellationToken) =>
        await SaveAsync(app, $"api/accounts/{Account}/export?format={format}", ComplianceApiKey, name, cancellationToken);

    /// <summary>
    /// Exports <see cref="Account"/> with inclusion proofs (<c>proofs=true</c>) in <paramref name="format"/> and saves it, once the
    /// dashboard has sealed its ledger (the first seal comes when the sealer has caught up after start).
    /// </summary>
    public async Task<string> ExportWithProofsAsync(AppProcess app, string format, string name, CancellationToken cancellationToken)
    {
        using (var client = app.CreateApiClient())
        {
            for (var waited = 0; (await client.GetAsync(new Uri("api/seals/latest", UriKind.Relative), cancellationToken)).StatusCode != HttpStatusCode.OK; waited++)
            {
                Assert.True(waited < 600, "The dashboard made no seal within a minute of start.");
                await Task.Delay(100, cancellationToken);
            }
        }

        return await SaveAsync(app, $"api/accounts/{Account}/export?format={format}&proofs=true", ComplianceApiKey, name, cancellationToken);
    }

    /// <summary>Saves the key set <paramref name="app"/> publishes (current and retired keys), as a reviewer downloads it.</summary>
    public async Task<string> KeySetAsync(AppProcess app, string name, CancellationToken cancellationToken) =>
        await SaveAsync(app, "api/exports/keys?download=true", AppCommand.OperatorApiKey, name, cancellationToken);

    /// <summary>Saves one published public key as PEM.</summary>
    public async Task<string> PublicKeyAsync(AppProcess app, string keyId, string name, CancellationToken cancellationToken) =>
        await SaveAsync(app, $"api/exports/keys/{Uri.EscapeDataString(keyId)}", AppCommand.OperatorApiKey, name, cancellationToken);

    private async Task<string> SaveAsync(AppProcess app, string url, string apiKey, string name, CancellationToken cancellationToken)
    {
        using var client = app.CreateApiClient(apiKey);
        client.Timeout = TimeSpan.FromSeconds(60);
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(bytes)}");
        var path = Path.Combine(Folder, name);
        await File.WriteAllBytesAsync(path, bytes, cancellationToken);
        return path;
    }
}
