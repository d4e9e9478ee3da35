namespace AuditDashboard.Core.Tests.Export;

/// <summary>
/// The access recorder over an in-memory store and a clock the test moves: looks become one event per caller, action,
/// account and address per window, appended when the window ends or on a flush of everything, and kept when the store
/// does not answer.
/// </summary>
public sealed class AccessRecorderTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly ManualTimeProvider _clock = new(Start);
    private readonly AppendsFailingStore _store;
    private readonly AccessRecorder _recorder;

    public AccessRecorderTests()
    {
        _store = new AppendsFailingStore(_clock);
        _recorder = new AccessRecorder(_store, _clock, Window);
    }

    [Fact]
    public async Task ManyLooksAtOneAccountWithinTheWindow_AreOneEvent_WithTheirCountAndFirstAndLastTime()
    {
        for (var step = 0; step < 120; step++)
        {
            _recorder.Record(Look("olivia", "ACC-1"));
            _clock.Now += TimeSpan.FromSeconds(2);
        }

        _clock.Now = Start + Window;
        var flush = await _recorder.FlushDueAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, flush.Appended);
        var access = Assert.Single(await LoggedAsync());
        Assert.Equal(("olivia", AccessAction.AccountViewed, "ACC-1", 120), (access.Who, access.Action, access.AccountId, access.Count));
        Assert.Equal(Start, access.FirstAt);
        Assert.Equal(Start + TimeSpan.FromSeconds(238), access.LastAt);
        Assert.Equal(("10.0.0.7", "Firefox", AccessOutcome.Allowed), (access.ClientAddress, access.UserAgent, access.Outcome));
    }

    [Fact]
    public async Task ABatchWhoseWindowHasNotEnded_IsNotAppendedByAFlushOfWhatIsDue()
    {
        _recorder.Record(Look("olivia", "ACC-1"));
        _clock.Now = Start + Window - TimeSpan.FromSeconds(1);

        var flush = await _recorder.FlushDueAsync(TestContext.Current.CancellationToken);

        Assert.Equal((0, 1), (flush.Appended, flush.Pending));
        Assert.Empty(await LoggedAsync());
    }

    [Fact]
    public async Task ALookAfterTheWindow_StartsANewEvent()
    {
        _recorder.Record(Look("olivia", "ACC-1"));
        _recorder.Record(Look("olivia", "ACC-1"));
        _clock.Now = Start + Window;
        _recorder.Record(Look("olivia", "ACC-1"));
        _clock.Now = Start + Window + Window;

        await _recorder.FlushDueAsync(TestContext.Current.CancellationToken);

        var logged = await LoggedAsync();
        Assert.Equal([(Start, 2), (Start + Window, 1)], logged.Select(a => (a.FirstAt, a.Count)).Reverse());
    }

    [Fact]
    public async Task LooksByOtherUsers_AtOtherAccounts_FromOtherAddresses_OrWithAnotherAction_AreEventsOfTheirOwn()
    {
        _recorder.Record(Look("olivia", "ACC-1"));
        _recorder.Record(Look("olivia", "ACC-2"));
        _recorder.Record(Look("sam", "ACC-1"));
        _recorder.Record(Look("olivia", "ACC-1") with { ClientAddress = "10.0.0.8" });
        _recorder.Record(Look("olivia", "ACC-1") with { Action = AccessAction.AccountRead });
        _recorder.Record(Look("olivia", "ACC-1"));

        await _recorder.FlushAllAsync(TestContext.Current.CancellationToken);

        var logged = await LoggedAsync();
        Assert.Equal(5, logged.Count);
        Assert.Equal(6, logged.Sum(a => a.Count));
        Assert.Equal(2, logged.Single(a => a is { Who: "olivia", AccountId: "ACC-1", ClientAddress: "10.0.0.7", Action: AccessAction.AccountViewed }).Count);
    }

    [Fact]
    public async Task ASearch_IsRecordedWithItsFilters_AndNoAccount()
    {
        _recorder.RecordSearch("api-key:monitoring", "actor=sam type=FundsDeposited", "192.0.2.1", null);
        _recorder.RecordSearch("api-key:monitoring", "actor=sam type=FundsDeposited", "192.0.2.1", null);
        _recorder.RecordSearch("api-key:monitoring", "actor=carla", "192.0.2.1", null);

        await _recorder.FlushAllAsync(TestContext.Current.CancellationToken);

        var logged = await LoggedAsync();
        Assert.Equal(
            [("actor=carla", 1), ("actor=sam type=FundsDeposited", 2)],
            logged.Select(a => (a.Filters!, a.Count)).Order());
        Assert.All(logged, a => Assert.Equal((AccessAction.EventsSearched, (string?)null), (a.Action, a.AccountId)));
    }

    [Fact]
    public async Task AFailedAppend_KeepsTheBatchPending_AndTheNextFlushAppendsIt_WithNothingLostOrWrittenTwice()
    {
        _recorder.Record(Look("olivia", "ACC-1"));
        _recorder.Record(Look("sam", "ACC-2"));
        _clock.Now = Start + Window;
        _store.FailNextAppends = 1;

        var failed = await _recorder.FlushDueAsync(TestContext.Current.CancellationToken);
        _recorder.Record(Look("olivia", "ACC-1"));
        var retried = await _recorder.FlushDueAsync(TestContext.Current.CancellationToken);
        var final = await _recorder.FlushAllAsync(TestContext.Current.CancellationToken);

        Assert.IsType<EventStoreUnavailableException>(failed.Failure);
        Assert.Equal((0, 2), (failed.Appended, failed.Pending));
        Assert.Null(retried.Failure);
        Assert.Equal((2, 1), (retried.Appended, retried.Pending));
        Assert.Equal((1, 0), (final.Appended, final.Pending));
        var logged = await LoggedAsync();
        Assert.Equal(3, logged.Count);
        Assert.Equal([("olivia", Start), ("olivia", Start + Window), ("sam", Start)], logged.Select(a => (a.Who, a.FirstAt)).Order());
    }

    [Fact]
    public async Task FlushAll_AppendsEveryPendingBatch_ItsWindowEndedOrNot()
    {
        _recorder.Record(Look("olivia", "ACC-1"));
        _clock.Now += TimeSpan.FromMinutes(1);
        _recorder.Record(Look("sam", "ACC-2"));

        var flush = await _recorder.FlushAllAsync(TestContext.Current.CancellationToken);

        Assert.Equal((2, 0), (flush.Appended, flush.Pending));
        Assert.Equal(["olivia", "sam"], (await LoggedAsync()).Select(a => a.Who).Order());
    }

    [Fact]
    public async Task BeyondTheBoundOfPendingBatches_TheOldestAreDropped_AndCounted()
    {
        var recorder = new AccessRecorder(_store, _clock, Window, maxPending: 3);
        _store.FailNextAppends = int.MaxValue;
        foreach (var account in new[] { "ACC-1", "ACC-2", "ACC-3", "ACC-4", "ACC-5" })
        {
            recorder.Record(Look("olivia", account));
            _clock.Now += TimeSpan.FromSeconds(1);
        }

        var failed = await recorder.FlushAllAsync(TestContext.Current.CancellationToken);
        _store.FailNextAppends = 0;
        var flush = await recorder.FlushAllAsync(TestContext.Current.CancellationToken);

        Assert.Equal((3, 2), (failed.Pending, failed.Dropped));
        Assert.Equal((3, 0), (flush.Appended, flush.Dropped));
        Assert.Equal(["ACC-3", "ACC-4", "ACC-5"], (await LoggedAsync()).Select(a => a.AccountId!).Order());
    }

    [Fact]
    public void Record_NeverWaitsForTheStore_EvenWhenItDoesNotAnswer()
    {
        _store.FailNextAppends = int.MaxValue;

        for (var i = 0; i < 10_000; i++)
            _recorder.Record(Look("olivia", "ACC-" + (i % 50)));

        Assert.Equal(0, _store.Attempts);
        Assert.Equal(50, _recorder.Pending);
    }

    private static AccessLook Look(string who, string accountId) =>
        new(who, AccessAction.AccountViewed, accountId, null, "10.0.0.7", "Firefox");

    /// <summary>The access log's account-access events, newest first.</summary>
    private async Task<List<AccessRecorded>> LoggedAsync()
    {
        var entries = await AccessLog.ReadNewestAsync(_store, 0, 1000, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        Assert.All(entries, e => Assert.Equal(AccessEvents.Type, e.EventType));
        return [.. entries.Select(e => e.Access!)];
    }
}
