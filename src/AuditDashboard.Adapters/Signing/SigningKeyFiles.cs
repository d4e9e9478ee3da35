using System.Security.Cryptography;
using AuditDashboard.Core.Signing;

namespace AuditDashboard.Adapters.Signing;

/// <summary>
/// Loads the signing keys from PEM files: the current private key (PKCS#8 "PRIVATE KEY" or SEC 1 "EC PRIVATE KEY", P-256) and
/// any number of retired keys (their public or private PEM; only the public half is kept).
/// </summary>
public static class SigningKeyFiles
{
    /// <summary>The key set from <paramref name="currentPath"/> and <paramref name="retiredPaths"/>.</summary>
    /// <exception cref="SigningKeyException">A file is missing, unreadable or not a P-256 key; the message names it.</exception>
    public static SigningKeySet Load(string currentPath, IEnumerable<string> retiredPaths)
    {
        ArgumentNullException.ThrowIfNull(retiredPaths);
        var current = ReadKey(currentPath, requirePrivate: true);
        var retired = new List<PublicSigningKey>();
        foreach (var path in retiredPaths)
        {
            using var key = ReadKey(path, requirePrivate: false);
            retired.Add(PublicSigningKey.From(key, current: false));
        }

        return new SigningKeySet(current, retired);
    }

    /// <summary>
    /// The public key in a PEM file (a "PUBLIC KEY" or a private key, of which only the public half is kept), e.g. one saved from
    /// <c>GET /api/exports/keys/{kid}</c>, to check a signature with.
    /// </summary>
    /// <param name="current">What the key is to be called: whoever holds only a PEM file cannot tell a current key from a retired one.</param>
    /// <exception cref="SigningKeyException">The file is missing, unreadable or not a P-256 key; the message names it.</exception>
    public static PublicSigningKey ReadPublic(string path, bool current = true)
    {
        using var key = ReadKey(path, requirePrivate: false);
        return PublicSigningKey.From(key, current);
    }

    /// <summary>
    /// Makes a new P-256 private key at <paramref name="path"/> (readable by its owner only) unless one is there. For development
    /// only: a production key is made and kept by whoever runs the dashboard.
    /// </summary>
    public static void CreateIfMissing(string path)
    {
        if (File.Exists(path))
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Written aside and moved into place, so a process starting at the same moment never reads half a key.
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(temporary, options))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static ECDsa ReadKey(string path, bool requirePrivate)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new SigningKeyException($"The signing key '{path}' cannot be read: {ex.Message}", ex);
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            var parameters = key.ExportParameters(includePrivateParameters: false);
            if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
                throw new SigningKeyException($"The signing key '{path}' is not on the P-256 curve.");
            if (requirePrivate && !HasPrivateKey(key))
                throw new SigningKeyException($"The signing key '{path}' holds no private key; the current key must be a private key.");
            return key;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new SigningKeyException($"The signing key '{path}' is not an unencrypted PEM EC key: {ex.Message}", ex);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static bool HasPrivateKey(ECDsa key)
    {
        try
        {
            return key.ExportParameters(includePrivateParameters: true).D is { Length: > 0 };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
