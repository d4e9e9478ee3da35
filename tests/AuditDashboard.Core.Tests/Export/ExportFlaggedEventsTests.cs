using AuditDashboard.Core.Tests.Replay;
using FsCheck.Xunit;
using static AuditDashboard.Core.Tests.Events;
using static AuditDashboard.Core.Tests.Export.ExportSamples;

namespace AuditDashboard.Core.Tests.Export;

/// <summary>Events the dashboard cannot apply are exported as stored, with their flag and problem, and hashed like any other.</summary>
public sealed class ExportFlaggedEventsTests
{
    private const int Flag = 16;
    private const int Problem = 17;

    private static RecordedEvent[] Flagged() =>
    [
        Recorded(0, new AccountOpened(Account, "Ana Lima", "EUR")),
        Recorded(1, new FundsDeposited(100m, "EUR", null)),
        Raw(2, "LoyaltyPointsAwarded", """{"points":40}"""),
        Raw(3, AccountEventTypes.FundsDeposited, "{not json"),
        Bytes(4, AccountEventTypes.FundsWithdrawn, NotUtf8),
        Recorded(5, new FundsDeposited(7m, "CHF", null)),
        Raw(6, AccountEventTypes.FundsDeposited, """{"amount":5,"currency":"EUR"}""", "{oops"),
        Raw(7, AccountEventTypes.FundsWithdrawn, """{"amount":-5,"currency":"EUR"}"""),
    ];

    [Theory]
    [InlineData(ExportFormat.Csv)]
    [InlineData(ExportFormat.Ndjson)]
    public async Task Flagged_events_are_rows_with_their_flag_problem_and_data_as_stored(ExportFormat format)
    {
        var events = Flagged();

        var export = await ExportAsync(format, events);
        var rows = export.Cells();
        var result = Verify(export.Bytes);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(events.Length, result.Count);
        Assert.Equal(
            ["", "", "UnknownType", "Unreadable", "Unreadable", "Inconsistent", "MetadataUnreadable", "Unreadable"],
            rows.Skip(1).SkipLast(1).Select(r => r[Flag]));
        Assert.Equal("Unknown event type 'LoyaltyPointsAwarded'.", rows[3][Problem]);
        Assert.StartsWith("The event's data does not parse", rows[4][Problem], StringComparison.Ordinal);
        Assert.Contains("CHF", rows[6][Problem], StringComparison.Ordinal);
        Assert.Equal("The event's metadata does not parse.", rows[7][Problem]);
        Assert.Contains("not positive", rows[8][Problem], StringComparison.Ordinal);
        Assert.All(rows.Skip(1).Take(2), r => Assert.Equal("", r[Problem]));

        Assert.Equal("""{"points":40}""", rows[3][ExportColumns.Data]);
        Assert.Equal("{not json", rows[4][ExportColumns.Data]);
        Assert.Equal("base64:" + Convert.ToBase64String(NotUtf8), rows[5][ExportColumns.Data]);
        Assert.Equal(NotUtf8, Convert.FromBase64String(rows[5][ExportColumns.Data]["base64:".Length..]));
        Assert.Equal("", rows[7][8]); // no actor when the metadata does not parse
        Assert.Equal("5", rows[7][13]); // but the amount applied

        // A flagged event leaves the balance as it was (the unreadable metadata's deposit still counts).
        Assert.Equal(["0", "100", "100", "100", "100", "100", "105", "105"], rows.Skip(1).SkipLast(1).Select(r => r[15]));
    }

    [Theory]
    [InlineData(ExportFormat.Csv)]
    [InlineData(ExportFormat.Ndjson)]
    public async Task A_flagged_rows_flag_problem_and_data_are_covered_by_its_hash(ExportFormat format)
    {
        var export = await ExportAsync(format, Flagged());
        var rows = export.Cells();

        var previous = ExportChain.Genesis;
        foreach (var row in rows)
        {
            Assert.Equal(ExpectedHash(previous, row[..^1]), row[^1]);
            previous = row[^1];
        }

        foreach (var (row, column) in new[] { (3, Flag), (3, Problem), (4, ExportColumns.Data), (5, ExportColumns.Data), (6, Flag), (7, Flag) })
        {
            var edited = (string[])rows[row][..^1].Clone();
            edited[column] = column == Flag ? "" : Mutate(edited[column]);
            Assert.NotEqual(rows[row][^1], ExportChain.Compute(rows[row - 1][^1], edited));
        }
    }

    [Fact]
    public async Task Clearing_a_flag_in_the_file_fails_at_that_row()
    {
        var export = await ExportAsync(ExportFormat.Csv, Flagged());
        var records = RfcCsv.Parse(export.Bytes);
        var cells = records.Select(r => (string[])r.Cells.Clone()).ToList();
        cells[4][Flag] = ""; // row 3: the unknown type passed off as fine

        var result = Verify(RfcCsv.Write(cells));

        Assert.False(result.IsValid);
        Assert.Equal(3, result.FailedRow);
    }

    [Property(Arbitrary = [typeof(Histories)], MaxTest = 100, EndSize = 40)]
    public async Task Any_history_exports_to_a_valid_CSV_and_NDJSON_with_one_digest(History history)
    {
        var events = history.Stored();
        var header = Header();

        var csv = await ExportAsync(ExportFormat.Csv, events, header);
        var ndjson = await ExportAsync(ExportFormat.Ndjson, events, header);

        Assert.Equal(csv.Summary, ndjson.Summary);
        Assert.Equal(events.Count, csv.Summary.Count);
        foreach (var export in new[] { csv, ndjson })
        {
            var result = Verify(export.Bytes);
            Assert.True(result.IsValid, result.Message);
            Assert.Equal(csv.Summary.Digest, result.Digest);
        }

        var flagged = Fold([.. events]).Count(e => e.Warning != EntryWarning.None);
        Assert.Equal(flagged, ndjson.Cells().Count(r => r[Flag].Length > 0));
        Assert.Equal(csv.Cells(), ndjson.Cells());
    }
}
