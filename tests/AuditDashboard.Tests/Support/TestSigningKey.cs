using System.Security.Cryptography;

namespace AuditDashboard.Tests.Support;

/// <summary>
/// A signing key file for tests that run the app outside Development, where the app makes no key of its own: one per test
/// run, in the temporary folder.
/// </summary>
public static class TestSigningKey
{
    private static readonly Lazy<string> File = new(() =>
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "audit-dashboard-tests", $"signing-key-{Guid.NewGuid():N}.pem");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        System.IO.File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        return path;
    });

    /// <summary>The setting that names the key: <c>Exports:SigningKey:Path</c>.</summary>
    public const string Setting = "Exports:SigningKey:Path";

    public static string Path => File.Value;
}
