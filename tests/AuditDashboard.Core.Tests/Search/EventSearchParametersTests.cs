using AuditDashboard.Core.Search;

namespace AuditDashboard.Core.Tests.Search;

public sealed class EventSearchParametersTests
{
    private static EventQuery? Parse(string query, Dictionary<string, string[]> errors)
    {
        var pairs = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Uri.UnescapeDataString(p[0]), Value: p.Length > 1 ? Uri.UnescapeDataString(p[1]) : ""))
            .ToList();
        return EventSearchParameters.Parse(name => pairs.Where(p => p.Name == name).Select(p => p.Value).ToList(), errors);
    }

    [Fact]
    public void Parse_ReadsEveryFilter_AndFormatWritesThemBack()
    {
        var errors = new Dictionary<string, string[]>();
        var query = Parse(
            "actor=sam&type=fundsdeposited,BalanceCorrected&type=FundsDeposited&account=ACC-1&owner=Ana&recordedFrom=2026-11-01&recordedTo=2026-11-30"
            + "&effectiveFrom=2026-10-01T12:00:00%2B02:00&minAmount=5000&maxAmount=10000.50&currency=eur&reference=TRX-1&correlationId=c-1"
            + "&causationId=c-0&source=support&flagged=true&text=duplicate%20deposit&order=asc&limit=20", errors);

        Assert.Empty(errors);
        Assert.NotNull(query);
        Assert.Equal(["FundsDeposited", "BalanceCorrected"], query.Types);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero).AddDays(1).AddTicks(-1), query.RecordedTo);
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 10, 0, 0, TimeSpan.Zero), query.EffectiveFrom);
        Assert.Equal((5000m, 10000.50m, "EUR", true, true, 20), (query.MinAmount, query.MaxAmount, query.Currency, query.FlaggedOnly, query.OldestFirst, query.Limit));

        var again = EventSearchParameters.Parse(name => EventSearchParameters.Format(query).Where(p => p.Key == name).Select(p => p.Value).ToList(), errors);
        Assert.Equal(query with { Limit = 50, Types = [] }, again! with { Types = [] });
        Assert.Equal(query.Types, again.Types);
        Assert.Contains("actor=sam; type=FundsDeposited,BalanceCorrected; account=ACC-1", EventSearchParameters.Describe(query), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WithNothing_IsEveryEventNewestFirst()
    {
        var errors = new Dictionary<string, string[]>();

        var query = Parse("", errors);

        Assert.Empty(errors);
        Assert.Equal(("every event", false, 50), (EventSearchParameters.Describe(query!), query!.OldestFirst, query.Limit));
    }

    [Theory]
    [InlineData("type=Nope", "type")]
    [InlineData("recordedFrom=2026-11-02&recordedTo=2026-11-01", "recordedTo")]
    [InlineData("minAmount=1,5", "minAmount")]
    [InlineData("text=%20-%20", "text")]
    [InlineData("limit=abc", "limit")]
    [InlineData("continuation=12", "continuation")]
    [InlineData("source=a&source=b", "source")]
    public void Parse_ABadValue_NamesItsParameter_AndGivesNoQuery(string text, string field)
    {
        var errors = new Dictionary<string, string[]>();

        var query = Parse(text, errors);

        Assert.Null(query);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void EventKey_AsAContinuation_ReadsBackAsItself_AndNothingElseReads()
    {
        var key = new EventKey(new DateTimeOffset(2026, 12, 7, 13, 0, 0, TimeSpan.Zero), 4_242);

        Assert.True(EventKey.TryParse(key.ToString(), out var read));
        Assert.Equal(key, read);
        Assert.False(EventKey.TryParse("-1-2", out _));
        Assert.False(EventKey.TryParse("1-", out _));
        Assert.False(EventKey.TryParse("99999999999999999999-1", out _));
    }
}
