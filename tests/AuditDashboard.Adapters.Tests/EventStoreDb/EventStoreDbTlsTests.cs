using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// TLS over a real channel: the in-process test server serves HTTP/2 over TLS with a self-signed certificate made for
/// the test. With tlsVerifyCert=false the adapter works over it; with the default (verify) it refuses the untrusted
/// certificate; with tls=false it cannot talk to a TLS node. Each failure is the store's "unavailable", with the reason.
/// </summary>
public sealed class EventStoreDbTlsTests : IAsyncLifetime
{
    private readonly EventStoreDbTestServer _server = new() { Certificate = SelfSigned() };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _server.InitializeAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task OverTls_WithoutVerifyingTheCertificate_AppendsAndReads()
    {
        await using var store = new EventStoreDbEventStore(_server.ConnectionString);
        await store.InitializeAsync(Cancellation);

        await store.AppendAsync("tls-stream", ExpectedRevision.NoStream, [new EventData(Guid.NewGuid(), "Tested", Encoding.UTF8.GetBytes("{\"n\":1}"), ReadOnlyMemory<byte>.Empty)], Cancellation);

        Assert.Single(await store.ReadStreamAsync("tls-stream", Direction.Forwards, 0, 10, Cancellation).ToListAsync(Cancellation));
        Assert.StartsWith("esdb://127.0.0.1:", _server.ConnectionString, StringComparison.Ordinal);
        Assert.Contains("tls=true", _server.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverTls_VerifyingTheCertificate_RefusesTheUntrustedOne()
    {
        var verifying = _server.ConnectionString.Replace("&tlsVerifyCert=false", "", StringComparison.Ordinal);
        await using var store = new EventStoreDbEventStore(verifying);

        var refused = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.InitializeAsync(Cancellation));

        Assert.Contains("SSL", refused.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WithoutTls_ATlsNodeDoesNotAnswer()
    {
        var plain = _server.ConnectionString.Replace("tls=true&tlsVerifyCert=false", "tls=false", StringComparison.Ordinal);
        await using var store = new EventStoreDbEventStore(plain);

        await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.InitializeAsync(Cancellation));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Kestrel needs the private key in a form it can use on Linux: export and load it again.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
