using System.Security.Cryptography;
using AuditDashboard.Core.Signing;

namespace AuditDashboard.Core.Tests.Signing;

public sealed class SigningKeySetTests
{
    private static readonly byte[] Data = Encoding.UTF8.GetBytes("audit-export/1 final digest 5f1c…");

    [Fact]
    public void Sign_ThenVerifyWithThePublishedKey_Succeeds()
    {
        using var keys = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);

        var signature = keys.Sign(Data);

        Assert.Equal(64, signature.Length);
        Assert.True(keys.Current.Verifies(Data, signature));
    }

    [Fact]
    public void Verify_WithOneChangedByteOfData_Fails()
    {
        using var keys = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        var signature = keys.Sign(Data);
        var changed = (byte[])Data.Clone();
        changed[3] ^= 1;

        var verified = keys.Current.Verifies(changed, signature);

        Assert.False(verified);
    }

    [Fact]
    public void Verify_WithAnotherKeysSignature_Fails()
    {
        using var ours = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        using var theirs = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);

        var verified = ours.Current.Verifies(Data, theirs.Sign(Data));

        Assert.False(verified);
    }

    [Fact]
    public void AfterRotation_TheRetiredKeyIsPublishedAfterTheCurrent_AndStillVerifiesWhatItSigned()
    {
        using var old = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        var signedBefore = old.Sign(Data);

        using var rotated = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), [old.Current]);

        Assert.Equal(2, rotated.Published.Count);
        Assert.True(rotated.Published[0].Current);
        Assert.NotEqual(old.Current.KeyId, rotated.Current.KeyId);
        var retired = Assert.IsType<PublicSigningKey>(rotated.Find(old.Current.KeyId));
        Assert.False(retired.Current);
        Assert.True(retired.Verifies(Data, signedBefore));
    }

    [Fact]
    public void KeyId_IsTheRfc7638Thumbprint()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var q = key.ExportParameters(false).Q;
        var members = $$"""{"crv":"P-256","kty":"EC","x":"{{Convert.ToBase64String(q.X!).TrimEnd('=').Replace('+', '-').Replace('/', '_')}}","y":"{{Convert.ToBase64String(q.Y!).TrimEnd('=').Replace('+', '-').Replace('/', '_')}}"}""";
        var expected = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(members))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var published = PublicSigningKey.From(key, current: true);

        Assert.Equal(expected, published.KeyId);
        Assert.Equal(43, published.KeyId.Length);
    }

    [Fact]
    public void KeyOnAnotherCurve_IsRefused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<CryptographicException>(() => PublicSigningKey.From(key, current: true));
    }

    [Fact]
    public void Pem_ReadBackByDotNet_IsTheSameKey()
    {
        using var keys = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        using var read = ECDsa.Create();

        read.ImportFromPem(keys.Current.ToPem());

        Assert.Equal(keys.Current.KeyId, PublicSigningKey.From(read, current: false).KeyId);
        Assert.True(read.VerifyData(Data, keys.Sign(Data), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }
}
