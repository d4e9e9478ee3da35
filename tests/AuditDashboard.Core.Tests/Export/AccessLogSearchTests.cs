namespace AuditDashboard.Core.Tests.Export;

/// <summary>The access log searched by user, account, action and time, over an in-memory store holding every kind of entry.</summary>
public sealed class AccessLogSearchTests
{
    private static readonly DateTimeOffset Day = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ByUserAndAccount_ListsTheirLooksAndExports_NewestFirst_WithTheTotal()
    {
        var store = await LogAsync();

        var page = await AccessLogSearch.SearchAsync(store, new AccessLogFilter(User: "OLIVIA", AccountId: "ACC-1"), 0, 10, TestContext.Current.CancellationToken);

        Assert.Equal(2, page.Total);
        Assert.Equal([AccessEvents.Type, AccessLog.StartedType], page.Items.Select(e => e.EventType));
        Assert.False(page.ScanLimitReached);
    }

    [Theory]
    [InlineData("AccountViewed", new[] { "olivia ACC-1 09:00", "sam ACC-2 10:00" })]
    [InlineData("AccountRead", new[] { "api-key:ci ACC-1 11:00" })]
    [InlineData("EventsSearched", new[] { "sam - 12:00" })]
    public async Task ByAction_ListsOnlyThatAction(string action, string[] expected)
    {
        var store = await LogAsync();

        var page = await AccessLogSearch.SearchAsync(store, new AccessLogFilter(Action: action), 0, 10, TestContext.Current.CancellationToken);

        Assert.Equal(expected, page.Items.Select(e => $"{e.Access!.Who} {e.Access.AccountId ?? "-"} {e.Access.FirstAt:HH:mm}").Reverse());
    }

    [Fact]
    public async Task ByTime_ListsEntriesWhoseLooksOverlapTheRange()
    {
        var store = await LogAsync();

        var page = await AccessLogSearch.SearchAsync(store, new AccessLogFilter(From: Day.AddHours(10).AddMinutes(2), To: Day.AddHours(11)), 0, 10, TestContext.Current.CancellationToken);

        // sam's looks at ACC-2 ran from 10:00 to 10:04; the API read began at 11:00.
        Assert.Equal(["api-key:ci", "sam"], page.Items.Select(e => e.Access!.Who));
    }

    [Fact]
    public async Task Pages_SkipAndTakeMatchingEntriesOnly()
    {
        var store = await LogAsync();

        var page = await AccessLogSearch.SearchAsync(store, new AccessLogFilter(Action: AccessLogFilter.SignIn), 1, 1, TestContext.Current.CancellationToken);

        Assert.Equal(2, page.Total);
        Assert.Equal("carla", Assert.Single(page.Items).SignIn!.UserName);
    }

    [Fact]
    public async Task WithoutFilters_ListsTheWholeLog()
    {
        var store = await LogAsync();

        var page = await AccessLogSearch.SearchAsync(store, new AccessLogFilter(), 0, 100, TestContext.Current.CancellationToken);

        Assert.Equal(7, page.Total);
        Assert.Equal(7, page.Items.Count);
    }

    /// <summary>Oldest first: carla signs in, olivia starts an export of ACC-1, olivia views ACC-1, sam ACC-2, a key reads ACC-1, sam searches, sam signs in.</summary>
    private static async Task<IEventStore> LogAsync()
    {
        var clock = new ManualTimeProvider(Day.AddHours(8));
        var store = new InMemoryEventStore(clock);
        var cancellationToken = TestContext.Current.CancellationToken;
        await SignInEvents.AppendAsync(store, SignInEvents.SignedIn, new SignInRecorded("carla", "password", "10.0.0.1", clock.Now), cancellationToken);
        await store.AppendAsync(AccessLog.StreamId, ExpectedRevision.Any, [AccessLog.StartedEvent(Guid.NewGuid(), new ExportStarted(Guid.NewGuid(), "ACC-1", "recorded", "csv", null, null, "olivia", clock.Now))], cancellationToken);
        await AppendLookAsync(store, clock, new AccessRecorded("olivia", AccessAction.AccountViewed, "ACC-1", null, Day.AddHours(9), Day.AddHours(9).AddMinutes(3), 4, "10.0.0.2", null, AccessOutcome.Allowed));
        await AppendLookAsync(store, clock, new AccessRecorded("sam", AccessAction.AccountViewed, "ACC-2", null, Day.AddHours(10), Day.AddHours(10).AddMinutes(4), 2, "10.0.0.3", null, AccessOutcome.Allowed));
        await AppendLookAsync(store, clock, new AccessRecorded("api-key:ci", AccessAction.AccountRead, "ACC-1", null, Day.AddHours(11), Day.AddHours(11).AddMinutes(1), 9, "10.0.0.4", "curl/8", AccessOutcome.Allowed));
        await AppendLookAsync(store, clock, new AccessRecorded("sam", AccessAction.EventsSearched, null, "actor=olivia", Day.AddHours(12), Day.AddHours(12), 1, "10.0.0.3", null, AccessOutcome.Allowed));
        clock.Now = Day.AddHours(13);
        await SignInEvents.AppendAsync(store, SignInEvents.SignedIn, new SignInRecorded("sam", "password", "10.0.0.3", clock.Now), cancellationToken);
        return store;
    }

    // Appended as the recorder appends: once the window of the looks has ended.
    private static async Task AppendLookAsync(InMemoryEventStore store, ManualTimeProvider clock, AccessRecorded access)
    {
        clock.Now = access.LastAt.AddMinutes(5);
        await store.AppendAsync(AccessLog.StreamId, ExpectedRevision.Any, [AccessEvents.Event(Guid.NewGuid(), access)], TestContext.Current.CancellationToken);
    }
}
