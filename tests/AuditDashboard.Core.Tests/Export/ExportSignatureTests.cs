using System.Security.Cryptography;
using System.Text.Json;
using AuditDashboard.Core.Signing;
using static AuditDashboard.Core.Tests.Export.ExportSamples;

namespace AuditDashboard.Core.Tests.Export;

/// <summary>
/// Signed exports: a signature row after the end row, over row 0's hash and the final digest. A chain alone can be recomputed
/// by whoever edits a file; the signature cannot be, without the dashboard's key.
/// </summary>
public sealed class ExportSignatureTests : IDisposable
{
    private readonly SigningKeySet _keys = new(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
    private readonly SigningKeySet _forger = new(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);

    public static TheoryData<ExportFormat> Formats => [ExportFormat.Csv, ExportFormat.Ndjson];

    public void Dispose()
    {
        _keys.Dispose();
        _forger.Dispose();
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task SignedExport_EndsWithASignatureRowAfterTheEndRow_OverTheDocumentedBytes(ExportFormat format)
    {
        var export = await ExportAsync(format, History(), signingKeys: _keys);

        var rows = export.Cells();
        var (header, end, signatureRow) = (rows[0], rows[^2], rows[^1]);
        Assert.Equal(("end", "signature"), (end[1], signatureRow[1]));
        Assert.Equal(RfcCsv.Number(rows.Count - 1), signatureRow[0]);
        Assert.Equal(export.Summary.Digest, end[^1]);
        using var data = JsonDocument.Parse(signatureRow[ExportColumns.Data]);
        Assert.Equal("ES256", data.RootElement.GetProperty("alg").GetString());
        Assert.Equal(_keys.Current.KeyId, data.RootElement.GetProperty("kid").GetString());

        // The signed bytes as the documentation states them, checked with the key's bare coordinates.
        var signed = Encoding.UTF8.GetBytes("audit-export/1 signature\n" + header[^1] + "\n" + end[^1]);
        using var publicKey = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = _keys.Current.X.ToArray(), Y = _keys.Current.Y.ToArray() },
        });
        var signature = System.Buffers.Text.Base64Url.DecodeFromChars(data.RootElement.GetProperty("signature").GetString());
        Assert.True(publicKey.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task SignedExport_VerifiesAsIntactAndAuthentic_NamingTheKeyAndTheExport(ExportFormat format)
    {
        var export = await ExportAsync(format, History(), signingKeys: _keys);

        var result = Verify(export.Bytes);
        var authenticity = ExportAuthenticity.Check(result, _keys.Published);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(export.Summary.Digest, result.Digest);
        Assert.Equal(export.Summary.Signature, result.Signature);
        Assert.Equal(AuthenticityStatus.Authentic, authenticity.Status);
        Assert.Equal(_keys.Current.KeyId, authenticity.Key?.KeyId);
        Assert.Equal(
            $"Export 6f1d2c3b-4a59-4e8f-9b0a-1c2d3e4f5a6b of ACC-1 (recorded, all time, {format.Extension()}) by auditor:eva at 2026-11-27T20:12:40.0000000Z.",
            result.DescribeExport());
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ForgedReason_WithEveryHashRecomputed_KeepsItsChainButFailsItsSignature(ExportFormat format)
    {
        var export = await ExportAsync(format, History(), signingKeys: _keys);
        var forged = ExportTamperingTests.Rehash([.. export.Cells()], rows => rows[4][9] = "a different reason");

        var result = Verify(ExportTamperingTests.Serialise(format, forged));

        Assert.True(result.IsValid, "a fully re-hashed file has an intact chain: " + result.Message);
        Assert.Equal(AuthenticityStatus.BadSignature, ExportAuthenticity.Check(result, _keys.Published).Status);
        var withoutKeys = ExportAuthenticity.Check(result, []);
        Assert.Equal(AuthenticityStatus.NotChecked, withoutKeys.Status);
        Assert.Contains("NOT checked", withoutKeys.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ForgedFile_ReSignedWithAnotherKey_IsNotAuthenticAgainstThePublishedKeys(ExportFormat format)
    {
        var export = await ExportAsync(format, History(), signingKeys: _keys);
        var edited = ExportTamperingTests.Rehash([.. export.Cells()], rows => rows[4][9] = "a different reason");
        var (headerHash, digest) = (edited[0][^1], edited[^2][^1]);
        var ownKey = ExportSignature.Sign(_forger, headerHash, digest);
        var ourKeyId = ownKey with { KeyId = _keys.Current.KeyId };

        var resigned = Verify(ExportTamperingTests.Serialise(format, ExportTamperingTests.Rehash(edited, rows => rows[^1][ExportColumns.Data] = ownKey.ToJson())));
        var relabelled = Verify(ExportTamperingTests.Serialise(format, ExportTamperingTests.Rehash(edited, rows => rows[^1][ExportColumns.Data] = ourKeyId.ToJson())));

        Assert.True(resigned.IsValid && relabelled.IsValid);
        Assert.Equal(AuthenticityStatus.UnknownKey, ExportAuthenticity.Check(resigned, _keys.Published).Status);
        Assert.Equal(AuthenticityStatus.Authentic, ExportAuthenticity.Check(resigned, _forger.Published).Status);
        Assert.Equal(AuthenticityStatus.BadSignature, ExportAuthenticity.Check(relabelled, _keys.Published).Status);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task SignatureRowCutOff_LeavesAnIntactChainThatIsNotSigned(ExportFormat format)
    {
        var export = await ExportAsync(format, History(), signingKeys: _keys);

        var result = Verify(export.WithRows(Enumerable.Range(0, export.Rows - 1)));

        Assert.True(result.IsValid, result.Message);
        Assert.Null(result.Signature);
        Assert.Equal(AuthenticityStatus.NotSigned, ExportAuthenticity.Check(result, _keys.Published).Status);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ARowAfterTheSignatureRow_OrASignatureRowBeforeTheEnd_Fails(ExportFormat format)
    {
        var export = await ExportAsync(format, History(), signingKeys: _keys);
        var n = export.Rows;

        var repeated = Verify(export.WithRows([.. Enumerable.Range(0, n), n - 1]));
        var early = Verify(ExportTamperingTests.Serialise(format, ExportTamperingTests.Rehash([.. export.Cells()], rows =>
        {
            (rows[^2], rows[^1]) = (rows[^1], rows[^2]);
            (rows[^2][0], rows[^1][0]) = (rows[^1][0], rows[^2][0]);
        })));

        Assert.False(repeated.IsValid);
        Assert.Contains("follows the signature row", repeated.Message, StringComparison.Ordinal);
        Assert.False(early.IsValid);
        Assert.Equal(n - 2, early.FailedRow);
        Assert.Contains("signature row before the end row", early.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task FlippingAnyByteOfTheSignatureRow_FailsAtThatRow(ExportFormat format)
    {
        var export = await ExportAsync(format, History(), signingKeys: _keys);
        var (start, end) = export.RowSpans[^1];
        var lineEnd = format == ExportFormat.Csv ? 2 : 1;

        for (var at = start; at < end - lineEnd; at++)
        {
            var bytes = (byte[])export.Bytes.Clone();
            bytes[at] = Flip(bytes[at]);

            var result = Verify(bytes);

            Assert.False(result.IsValid, $"byte {at - start} of the signature row flipped: verified as valid.");
            Assert.Equal(export.Rows - 1, result.FailedRow);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ASignatureRowNotAsTheWriterWritesIt_Fails(ExportFormat format)
    {
        var export = await ExportAsync(format, History(), signingKeys: _keys);
        var signature = export.Summary.Signature!;

        foreach (var data in new[] { "{}", "not json", signature.ToJson().Replace("ES256", "ES384", StringComparison.Ordinal), signature.ToJson().Replace("\"}", "==\"}", StringComparison.Ordinal) })
        {
            var result = Verify(ExportTamperingTests.Serialise(format, ExportTamperingTests.Rehash([.. export.Cells()], rows => rows[^1][ExportColumns.Data] = data)));

            Assert.False(result.IsValid, $"a signature row with data {data} verified as valid.");
            Assert.Contains("signature row", result.Message, StringComparison.Ordinal);
        }

        var actor = Verify(ExportTamperingTests.Serialise(format, ExportTamperingTests.Rehash([.. export.Cells()], rows => rows[^1][8] = "someone")));
        Assert.False(actor.IsValid, "a signature row with an actor verified as valid.");
    }

    [Fact]
    public async Task RetiredKey_StillVerifiesWhatItSignedBeforeTheRotation_AndTheNewKeyAloneDoesNot()
    {
        var old = await ExportAsync(ExportFormat.Csv, History(), signingKeys: _keys);
        using var rotated = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), [_keys.Current]);

        var result = Verify(old.Bytes);
        var withRetired = ExportAuthenticity.Check(result, rotated.Published);
        var currentOnly = ExportAuthenticity.Check(result, [rotated.Current]);

        Assert.Equal(AuthenticityStatus.Authentic, withRetired.Status);
        Assert.False(withRetired.Key!.Current);
        Assert.Contains("retired", withRetired.Message, StringComparison.Ordinal);
        Assert.Equal(AuthenticityStatus.UnknownKey, currentOnly.Status);
    }
}
