using System.Text.Json;
using static AuditDashboard.Core.Tests.Events;
using static AuditDashboard.Core.Tests.Export.ExportSamples;

namespace AuditDashboard.Core.Tests.Export;

public sealed class ExportRangeTests
{
    private static ExportRange? Parse(string? from, string? to, out Dictionary<string, string[]> errors)
    {
        errors = [];
        return ExportRange.Parse(from, to, errors);
    }

    [Fact]
    public void A_date_is_the_whole_day_in_UTC()
    {
        var range = Parse("2026-03-31", "2026-03-31", out var errors);

        Assert.Empty(errors);
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 0, 0, 0, TimeSpan.Zero), range!.From);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(-1), range.To);
        Assert.Equal(TimeSpan.Zero, range.From!.Value.Offset);
        Assert.True(range.Contains(new DateTimeOffset(2026, 3, 31, 23, 59, 59, 999, TimeSpan.Zero)));
        Assert.False(range.Contains(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.False(range.Contains(new DateTimeOffset(2026, 3, 31, 0, 0, 0, TimeSpan.Zero).AddTicks(-1)));
    }

    [Theory]
    [InlineData("2026-03-31T14:30:00Z", "2026-03-31T14:30:00.0000000Z")]
    [InlineData("2026-03-31T14:30Z", "2026-03-31T14:30:00.0000000Z")]
    [InlineData("2026-03-31T14:30:00", "2026-03-31T14:30:00.0000000Z")]
    [InlineData("2026-03-31T14:30:00.25Z", "2026-03-31T14:30:00.2500000Z")]
    [InlineData("2026-03-31T14:30:00+02:00", "2026-03-31T12:30:00.0000000Z")]
    [InlineData("2026-03-31T14:30:00-05:30", "2026-03-31T20:00:00.0000000Z")]
    [InlineData("2026-03-31T23:30:00-01:00", "2026-04-01T00:30:00.0000000Z")]
    [InlineData("  2026-03-31T14:30:00Z  ", "2026-03-31T14:30:00.0000000Z")]
    public void A_date_time_is_that_moment_offsets_applied(string text, string utc)
    {
        var range = Parse(text, text, out var errors);

        Assert.Empty(errors);
        Assert.Equal(utc, ExportText.Time(range!.From!.Value));
        Assert.Equal(range.From, range.To);
        Assert.Equal(TimeSpan.Zero, range.From!.Value.Offset);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "  ")]
    public void Missing_ends_are_open(string? from, string? to)
    {
        var range = Parse(from, to, out var errors);

        Assert.Empty(errors);
        Assert.Equal(ExportRange.All, range);
        Assert.True(range!.Contains(DateTimeOffset.MinValue));
        Assert.True(range.Contains(DateTimeOffset.MaxValue));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("2026-13-01")]
    [InlineData("2026-02-30")]
    [InlineData("2026-03-31T25:00:00Z")]
    [InlineData("31/03/2026")]
    [InlineData("03/31/2026")]
    [InlineData("2026-3-31")]
    [InlineData("20260331")]
    [InlineData("2026-03-31 14:30")]
    [InlineData("tomorrow")]
    [InlineData("2026-03-31T14:30:00+25:00")]
    public void Anything_else_is_an_error_keyed_by_the_end_it_belongs_to(string text)
    {
        Assert.Null(Parse(text, null, out var errors));
        Assert.Equal(["from"], errors.Keys);
        Assert.Contains(text.Trim(), errors["from"][0], StringComparison.Ordinal);
        Assert.Contains("ISO-8601", errors["from"][0], StringComparison.Ordinal);

        Assert.Null(Parse("2026-01-01", text, out errors));
        Assert.Equal(["to"], errors.Keys);

        Assert.Null(Parse(text, text, out errors));
        Assert.Equal(["from", "to"], errors.Keys.Order());
    }

    [Fact]
    public void A_long_bad_input_is_shortened_in_the_message()
    {
        Assert.Null(Parse(new string('9', 500), null, out var errors));

        Assert.True(errors["from"][0].Length < 200, errors["from"][0]);
    }

    [Theory]
    [InlineData("2026-04-01", "2026-03-31")]
    [InlineData("2026-03-31T14:30:00Z", "2026-03-31T14:29:59Z")]
    [InlineData("2026-03-31T14:30:00+02:00", "2026-03-31T12:29:59Z")]
    public void From_after_to_is_an_empty_range_and_an_error_on_to(string from, string to)
    {
        Assert.Null(Parse(from, to, out var errors));

        Assert.Equal(["to"], errors.Keys);
        Assert.Contains("empty", errors["to"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void From_equal_to_to_is_one_instant()
    {
        var range = Parse("2026-03-31T14:30:00Z", "2026-03-31T16:30:00+02:00", out var errors);

        Assert.Empty(errors);
        Assert.Equal(range!.From, range.To);
    }

    [Fact]
    public void The_last_day_there_is_parses_to_the_last_instant_there_is()
    {
        // 9999-12-31 has no next day: the end of the day must not be computed through one.
        var range = Parse("9999-12-31", "9999-12-31", out var errors);

        Assert.Empty(errors);
        Assert.Equal(DateTimeOffset.MaxValue, range!.To);
        Assert.Equal(new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero), range.From);
        Assert.Equal(DateTimeOffset.MinValue, Parse("0001-01-01", null, out _)!.From);
    }

    [Theory]
    [InlineData(ExportFormat.Csv)]
    [InlineData(ExportFormat.Ndjson)]
    public async Task The_recorded_view_exports_the_events_recorded_in_the_range_with_balances_from_the_whole_history(ExportFormat format)
    {
        var history = History();
        var entries = Fold(history);
        var range = new ExportRange(T0.AddMinutes(3), T0.AddMinutes(6)); // revisions 3 to 6, ends included

        var export = await ExportAsync(format, history, Header(format, range));
        var rows = export.Cells();
        var result = Verify(export.Bytes);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(4, result.Count);
        Assert.Equal(4, export.Summary.Count);
        Assert.Equal(["3", "4", "5", "6"], rows.Skip(1).SkipLast(1).Select(r => r[3]));
        Assert.Equal(["1", "2", "3", "4"], rows.Skip(1).SkipLast(1).Select(r => r[0]));
        Assert.Equal(
            [.. entries.Skip(3).Take(4).Select(e => ExportText.Number(e.StateAfter.Balance))],
            rows.Skip(1).SkipLast(1).Select(r => r[15]));
        Assert.Equal("1349.49", rows[1][15]); // 1500 - 250.50 + 99.99: the balance carries what came before the range
        using var end = JsonDocument.Parse(rows[^1][ExportColumns.Data]);
        Assert.Equal(4, end.RootElement.GetProperty("count").GetInt64());
        Assert.Equal(6, end.RootElement.GetProperty("lastRevision").GetInt64());
        Assert.Equal("1342.83", end.RootElement.GetProperty("balance").GetString());
        Assert.Equal("5", rows[^1][0]);
    }

    [Fact]
    public async Task The_corrected_view_selects_by_effective_time_and_carries_the_corrected_balances()
    {
        var history = History();
        var corrected = AccountReplay.Of(Account, Fold(history), ReplayView.Corrected);

        // 09:01 to 09:02: the salary (recorded 09:01), the fee correction (recorded 09:07, effective 09:01:30), the rent
        // (09:02) and its reversal (recorded 09:08, effective 09:02).
        var range = new ExportRange(T0.AddMinutes(1), T0.AddMinutes(2));
        var export = await ExportAsync(ExportFormat.Csv, history, Header(ExportFormat.Csv, range, ReplayView.Corrected), ReplayView.Corrected);
        var rows = export.Cells().Skip(1).SkipLast(1).ToList();
        var recorded = (await ExportAsync(ExportFormat.Csv, history, Header(ExportFormat.Csv, range))).Cells().Skip(1).SkipLast(1).ToList();

        Assert.True(Verify(export.Bytes).IsValid);
        Assert.Equal(["1", "7", "2", "8"], rows.Select(r => r[3]));
        Assert.Equal(["1", "2"], recorded.Select(r => r[3]));
        Assert.All(rows, r => Assert.True(range.Contains(DateTimeOffset.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Contains(rows, r => DateTimeOffset.Parse(r[4], System.Globalization.CultureInfo.InvariantCulture) > range.To);
        Assert.Equal(["1500", "1450", "1199.50", "1450.00"], rows.Select(r => r[15]));
        var inRange = Enumerable.Range(0, corrected.Count).Where(i => range.Contains(corrected.TimeAt(i))).ToList();
        Assert.Equal(inRange.Select(i => ExportText.Number(corrected.At(i).State.Balance)), rows.Select(r => r[15]));
    }

    [Fact]
    public async Task The_corrected_view_of_everything_ends_with_the_same_balance_as_the_recorded_view()
    {
        var history = History();

        var corrected = await ExportAsync(ExportFormat.Ndjson, history, Header(ExportFormat.Ndjson, view: ReplayView.Corrected), ReplayView.Corrected);
        var recorded = await ExportAsync(ExportFormat.Ndjson, history);

        Assert.True(Verify(corrected.Bytes).IsValid);
        Assert.Equal(corrected.Cells()[^1][ExportColumns.Data], recorded.Cells()[^1][ExportColumns.Data]);
        Assert.NotEqual(corrected.Cells().Select(r => r[3]), recorded.Cells().Select(r => r[3]));
    }

    [Theory]
    [InlineData(ExportFormat.Csv)]
    [InlineData(ExportFormat.Ndjson)]
    public async Task A_range_with_no_events_in_it_exports_a_valid_file_counting_zero(ExportFormat format)
    {
        var range = new ExportRange(T0.AddDays(10), T0.AddDays(11));

        var export = await ExportAsync(format, History(), Header(format, range));
        var result = Verify(export.Bytes);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(0, result.Count);
        Assert.Equal("""{"count":0}""", export.Cells()[^1][ExportColumns.Data]);
    }

    [Fact]
    public async Task Open_ended_ranges_cut_on_one_side_only()
    {
        var history = History();

        var from = await ExportAsync(ExportFormat.Csv, history, Header(range: new ExportRange(T0.AddMinutes(10), null)));
        var to = await ExportAsync(ExportFormat.Csv, history, Header(range: new ExportRange(null, T0.AddMinutes(2))));

        Assert.Equal(["10", "11", "12"], from.Cells().Skip(1).SkipLast(1).Select(r => r[3]));
        Assert.Equal(["0", "1", "2"], to.Cells().Skip(1).SkipLast(1).Select(r => r[3]));
        Assert.Equal(history.Length, from.Summary.Count + to.Summary.Count + 7);
    }

    [Fact]
    public async Task Exports_of_the_store_stream_the_recorded_view()
    {
        var history = History();
        var store = new ListStore(history);

        using var output = new MemoryStream();
        ExportSummary summary;
        await using (var writer = new CsvExportWriter(output))
            summary = await TimelineExport.WriteAsync(Header(), TimelineExport.EntriesOf(store, Account, lastRevision: 8, TestContext.Current.CancellationToken), writer, cancellationToken: TestContext.Current.CancellationToken);
        var fromReplay = await ExportAsync(ExportFormat.Csv, history[..9]);

        Assert.Equal(9, summary.Count);
        Assert.Equal(fromReplay.Summary, summary);
        Assert.True(Verify(output.ToArray()).IsValid);
    }

    /// <summary>Just enough of a store to read one stream forwards.</summary>
    private sealed class ListStore(IReadOnlyList<RecordedEvent> events) : IEventStore
    {
        public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, Direction direction, long fromRevision, long maxCount, CancellationToken cancellationToken = default) =>
            events.Where(e => e.StreamId == streamId && e.Revision >= fromRevision).Take((int)Math.Min(maxCount, int.MaxValue)).ToAsyncEnumerable();

        public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<bool> IsReachableAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

        public Task<AppendResult> AppendAsync(string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<long?> GetLastRevisionAsync(string streamId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<RecordedEvent> ReadAllAsync(Direction direction, long fromPosition, long maxCount, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<SubscriptionMessage> SubscribeToStreamAsync(string streamId, long? afterRevision, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(long? afterPosition, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
