using AuditDashboard.Adapters.Signing;
using AuditDashboard.Core.Signing;

namespace AuditDashboard.Hosting;

/// <summary>Loads the signing keys once, at start-up, so that a missing or broken key stops the app before it serves anything.</summary>
internal static class SigningKeySetup
{
    public static void AddSigningKeys(this WebApplicationBuilder builder)
    {
        var environment = builder.Environment;
        builder.Services.AddOptions<SigningKeyOptions>().BindConfiguration(SigningKeyOptions.Section);
        builder.Services.AddSingleton<ISigningKeys>(sp => new LoadedOnFirstUse(() =>
            Load(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SigningKeyOptions>>().Value, environment)));
        builder.Services.AddHostedService<SigningKeyStartup>();
    }

    /// <summary>The configured keys; in Development a key of its own when none is configured, never elsewhere.</summary>
    public static SigningKeySet Load(SigningKeyOptions options, IHostEnvironment environment)
    {
        var path = options.Path;
        if (string.IsNullOrWhiteSpace(path))
        {
            if (!environment.IsDevelopment())
                throw new SigningKeyException($"{SigningKeyOptions.Section}:Path is not set: exports and ledger seals need a signing key (an unencrypted PEM ECDSA P-256 private key, e.g. made with 'openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt').");
            path = Resolve(SigningKeyOptions.DevelopmentPath, environment);
            CreateDevelopmentKey(path);
        }

        return SigningKeyFiles.Load(Resolve(path, environment), options.RetiredKeys.Select(p => Resolve(p, environment)));
    }

    private static string Resolve(string path, IHostEnvironment environment) =>
        System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.GetFullPath(System.IO.Path.Combine(environment.ContentRootPath, path));

    private static void CreateDevelopmentKey(string path)
    {
        try
        {
            SigningKeyFiles.CreateIfMissing(path);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process of the same checkout made it first; theirs is as good as ours.
        }
    }

    /// <summary>
    /// The keys, loaded when first used rather than when first injected: the host builds every hosted service before it starts
    /// any, and a key problem must be reported in its turn, after the store's own start-up checks.
    /// </summary>
    private sealed class LoadedOnFirstUse(Func<SigningKeySet> load) : ISigningKeys
    {
        private readonly Lazy<SigningKeySet> _keys = new(load);

        public PublicSigningKey Current => _keys.Value.Current;

        public IReadOnlyList<PublicSigningKey> Published => _keys.Value.Published;

        public byte[] Sign(ReadOnlySpan<byte> data) => _keys.Value.Sign(data);
    }

    /// <summary>Resolves the keys while the host starts: a key that cannot be loaded is a start-up failure, not a failed export later.</summary>
    private sealed class SigningKeyStartup(ISigningKeys keys) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = keys.Current;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
