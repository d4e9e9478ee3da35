using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AuditDashboard.Core.Signing;

namespace AuditDashboard.Core.Tests.Signing;

public sealed class JsonWebKeySetTests
{
    [Fact]
    public void Write_ThenRead_GivesTheSameKeys_InOrder_WithTheirStatus()
    {
        using var old = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        using var keys = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), [old.Current]);

        var read = JsonWebKeySet.Read(JsonWebKeySet.Write(keys.Published));

        Assert.Equal(keys.Published.Select(k => (k.KeyId, k.Current)), read.Select(k => (k.KeyId, k.Current)));
        Assert.True(read[1].Verifies([1, 2, 3], old.Sign([1, 2, 3])));
    }

    [Fact]
    public void Write_NamesTheAlgorithmAndUse()
    {
        using var keys = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);

        var key = JsonNode.Parse(JsonWebKeySet.Write(keys.Published))!["keys"]![0]!;

        Assert.Equal("EC", (string?)key["kty"]);
        Assert.Equal("P-256", (string?)key["crv"]);
        Assert.Equal("ES256", (string?)key["alg"]);
        Assert.Equal("sig", (string?)key["use"]);
        Assert.Equal(keys.Current.KeyId, (string?)key["kid"]);
    }

    [Fact]
    public void Read_AKeyWhoseIdIsNotItsThumbprint_IsRefused()
    {
        using var a = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        using var b = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        var json = JsonNode.Parse(JsonWebKeySet.Write(a.Published))!;
        json["keys"]![0]!["kid"] = b.Current.KeyId;

        var error = Assert.Throws<FormatException>(() => JsonWebKeySet.Read(json.ToJsonString()));

        Assert.Contains(b.Current.KeyId, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}""")]
    public void Read_SomethingThatIsNotAKeySet_SaysSo(string text)
    {
        Assert.Throws<FormatException>(() => JsonWebKeySet.Read(text));
    }
}
