using System.Security.Cryptography;

namespace AuditDashboard.Core.Tests.Export;

/// <summary>
/// An export made without options is byte for byte what it was before inclusion proofs existed: the SHA-256 of each file
/// below was taken from the writers as they were then. Reviewers' tools read these files; an option must add to a file that
/// asks for it, never change one that does not.
/// </summary>
public sealed class ExportBytesStabilityTests
{
    private const string ExpectedCsv = "4264610a31c3db84023097c2bbe973b119039c11ab0a6c796c9f7194e47405d2";
    private const string ExpectedNdjson = "30505adaec5b1e109a9be5edf51c93a8e0d208a19329c9ead6a5bb0486319a50";

    [Theory]
    [InlineData(ExportFormat.Csv, ExpectedCsv)]
    [InlineData(ExportFormat.Ndjson, ExpectedNdjson)]
    public async Task Export_WithoutOptions_IsByteForByteTheFileOfBefore(ExportFormat format, string expectedSha256)
    {
        var header = new ExportHeader(new Guid("0b7e3a52-5d1c-4f8e-9a61-2c4d6e8f0a13"), "ACC-7", ReplayView.Recorded, ExportRange.All, format, "auditor:eva",
            new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero));

        using var output = new MemoryStream();
        await using (var writer = ExportSamples.Writer(format, output))
            await TimelineExport.WriteAsync(header, Entries(), writer, cancellationToken: TestContext.Current.CancellationToken);

        var actual = Convert.ToHexStringLower(SHA256.HashData(output.ToArray()));
        Assert.True(actual == expectedSha256, $"The {format} file changed: its SHA-256 is {actual}.");
    }

    private static async IAsyncEnumerable<ExportEntry> Entries()
    {
        var t0 = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero).AddTicks(1234567);
        var metadata = new EventMetadata("teller:ana", "Line one\nline \"two\", =SUM(A1)", "corr-1", "cause-1", "tests");
        (AccountEvent Event, string Id)[] events =
        [
            (new AccountOpened("ACC-7", "Ana Lima", "EUR"), "7d7c9c51-0e0b-4c55-8f42-6a1b2c3d4e01"),
            (new FundsDeposited(1500m, "EUR", "SAL-11"), "7d7c9c51-0e0b-4c55-8f42-6a1b2c3d4e02"),
            (new FundsWithdrawn(250.50m, "EUR", "RENT-11"), "7d7c9c51-0e0b-4c55-8f42-6a1b2c3d4e03"),
            (new BalanceCorrected(-5m, "EUR", null, t0.AddMinutes(1)), "7d7c9c51-0e0b-4c55-8f42-6a1b2c3d4e04"),
        ];
        var state = AccountState.Initial("ACC-7");
        for (var i = 0; i < events.Length; i++)
        {
            var data = AccountEventCodec.Encode(new Guid(events[i].Id), events[i].Event, metadata);
            var record = new RecordedEvent(AccountIds.StreamOf("ACC-7"), i, 40 + (3 * i), data.EventId, data.EventType, data.Data, data.Metadata, t0.AddMinutes(i));
            var entry = TimelineEntry.Next(state, record);
            state = entry.StateAfter;
            yield return new ExportEntry(entry, state);
        }

        var odd = new RecordedEvent(AccountIds.StreamOf("ACC-7"), 4, 60, new Guid("7d7c9c51-0e0b-4c55-8f42-6a1b2c3d4e05"), "LoyaltyPointsAwarded",
            Encoding.UTF8.GetBytes("""{"points":40}"""), Encoding.UTF8.GetBytes("""{"actor":"a","reason":"r","correlationId":"c","source":"s"}"""), t0.AddMinutes(4));
        var last = TimelineEntry.Next(state, odd);
        await Task.Yield();
        yield return new ExportEntry(last, last.StateAfter);
    }
}
