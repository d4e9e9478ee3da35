using AuditDashboard.Core.ReadModels;
using AuditDashboard.Core.Search;


namespace AuditDashboard.Adapters.Tests;

/// <summary>
/// The behaviour every <see cref="IReadModelStore"/> adapter must show, written once against the port alone. An adapter
/// is done when a subclass that creates it passes all of these.
/// </summary>
public abstract class ReadModelStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private IReadModelStore? _store;

    protected IReadModelStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected static CancellationToken TestCancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await CreateStoreAsync(TestCancellation);
        await _store.OpenAsync("ledger-a", TestCancellation);
        await OpenedAsync(_store);
    }

    /// <summary>Runs once the store is opened, before the test: where a subclass puts it in the state it tests it in.</summary>
    protected virtual Task OpenedAsync(IReadModelStore store) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
            await DisposeStoreAsync(_store);
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates a fresh, empty store (not yet opened) for one test.</summary>
    protected abstract Task<IReadModelStore> CreateStoreAsync(CancellationToken cancellationToken);

    protected virtual ValueTask DisposeStoreAsync(IReadModelStore store) =>
        store is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    protected static AccountState Account(string id, string? owner = "Ana Lima", decimal balance = 10m, long revision = 1) =>
        new(id, owner, "EUR", balance, AccountStatus.Open, revision, T0, T0.AddMinutes(revision), (int)revision + 1);

    protected async Task PutAsync(long checkpoint, params AccountState[] accounts)
    {
        await using var transaction = await Store.BeginAsync(TestCancellation);
        await transaction.PutAccountsAsync(accounts, TestCancellation);
        await transaction.SetCheckpointAsync(AccountDirectory.ProjectionName, checkpoint, TestCancellation);
        await transaction.CommitAsync(TestCancellation);
    }

    private async Task<List<string>> IdsAsync(AccountQuery query) =>
        [.. (await Store.SearchAccountsAsync(query, TestCancellation)).Items.Select(a => a.AccountId)];

    [Fact]
    public async Task CountByPeriod_CountsTheMatchesPerDayAndType_OrPerWeekAndActor()
    {
        IndexedEvent Event(long position, DateTimeOffset recorded, string type, string? actor) =>
            new(position, "ACC-1", position, Guid.NewGuid(), type, actor, recorded, recorded, null, null, null, null, null, null, null, false);
        await using (var transaction = await Store.BeginAsync(TestCancellation))
        {
            await transaction.PutEventsAsync(
            [
                Event(1, T0, AccountEventTypes.AccountOpened, "sam"),
                Event(2, T0.AddHours(2), AccountEventTypes.FundsDeposited, "sam"),
                Event(3, T0.AddDays(1), AccountEventTypes.FundsDeposited, null),
                Event(4, T0.AddDays(9), AccountEventTypes.FundsDeposited, "sara"),
            ], TestCancellation);
            await transaction.SetCheckpointAsync(AccountDirectory.ProjectionName, 4, TestCancellation);
            await transaction.CommitAsync(TestCancellation);
        }

        await Store.CompleteFirstBuildAsync(TestCancellation);
        var byDay = await Store.CountByPeriodAsync(new EventQuery { Types = [AccountEventTypes.FundsDeposited] }, EventPeriod.Day, EventSeries.Type, TimeSpan.Zero, TestCancellation);
        var byWeek = await Store.CountByPeriodAsync(new EventQuery(), EventPeriod.Week, EventSeries.Actor, TimeSpan.Zero, TestCancellation);

        // T0 is a Sunday: its week began on Monday 23 February; the next day starts a week.
        var day = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(
            [new EventCount(day, AccountEventTypes.FundsDeposited, 1), new EventCount(day.AddDays(1), AccountEventTypes.FundsDeposited, 1), new EventCount(day.AddDays(9), AccountEventTypes.FundsDeposited, 1)],
            byDay.Counts);
        Assert.Equal((3L, false), (byDay.Sampled, byDay.IsPartial));
        Assert.Equal(
            [new EventCount(day.AddDays(-6), "sam", 2), new EventCount(day.AddDays(1), "", 1), new EventCount(day.AddDays(8), "sara", 1)],
            byWeek.Counts);
    }

    [Fact]
    public async Task Commit_MakesRowsAndCheckpointVisibleTogether()
    {
        var account = Account("ACC-1");

        await PutAsync(17, account);

        Assert.Equal(account, await Store.FindAccountAsync("ACC-1", TestCancellation));
        Assert.Equal(17, await Store.ReadCheckpointAsync(AccountDirectory.ProjectionName, TestCancellation));
        Assert.Equal(1, await Store.CountAccountsAsync(TestCancellation));
    }

    [Fact]
    public async Task Dispose_WithoutCommit_WritesNeitherRowsNorCheckpoint()
    {
        await PutAsync(5, Account("ACC-1", balance: 1m));

        await using (var transaction = await Store.BeginAsync(TestCancellation))
        {
            await transaction.PutAccountsAsync([Account("ACC-1", balance: 99m, revision: 2), Account("ACC-2")], TestCancellation);
            await transaction.SetCheckpointAsync(AccountDirectory.ProjectionName, 9, TestCancellation);
            Assert.Equal(99m, (await transaction.FindAccountAsync("ACC-1", TestCancellation))!.Balance);
        }

        Assert.Equal(1m, (await Store.FindAccountAsync("ACC-1", TestCancellation))!.Balance);
        Assert.Null(await Store.FindAccountAsync("ACC-2", TestCancellation));
        Assert.Equal(5, await Store.ReadCheckpointAsync(AccountDirectory.ProjectionName, TestCancellation));
    }

    [Fact]
    public async Task Checkpoints_AreKeptPerProjection()
    {
        await using (var transaction = await Store.BeginAsync(TestCancellation))
        {
            await transaction.SetCheckpointAsync("one", 3, TestCancellation);
            await transaction.SetCheckpointAsync("two", 8, TestCancellation);
            await transaction.CommitAsync(TestCancellation);
        }

        Assert.Equal(3, await Store.ReadCheckpointAsync("one", TestCancellation));
        Assert.Equal(8, await Store.ReadCheckpointAsync("two", TestCancellation));
        Assert.Null(await Store.ReadCheckpointAsync("three", TestCancellation));
    }

    [Fact]
    public async Task Put_OfAnAccountItHolds_ReplacesItsRow_AndSearchFindsTheNewOwner()
    {
        await PutAsync(1, Account("ACC-1", owner: "Ana Lima"));

        await PutAsync(2, Account("ACC-1", owner: "Bea Costa", balance: 3.50m, revision: 4) with { Status = AccountStatus.Frozen, Currency = null });

        var found = await Store.FindAccountAsync("ACC-1", TestCancellation);
        Assert.Equal(Account("ACC-1", owner: "Bea Costa", balance: 3.50m, revision: 4) with { Status = AccountStatus.Frozen, Currency = null }, found);
        Assert.Equal(["ACC-1"], await IdsAsync(new AccountQuery("costa")));
        Assert.Empty(await IdsAsync(new AccountQuery("lima")));
        Assert.Equal(1, await Store.CountAccountsAsync(TestCancellation));
    }

    [Fact]
    public async Task Find_GivesBackAnAccountNotYetOpened_WithItsNullsIntact()
    {
        var bare = AccountState.Initial("ACC-0") with { Revision = 0, EventCount = 1, Balance = -0.01m };

        await PutAsync(1, bare);

        Assert.Equal(bare, await Store.FindAccountAsync("ACC-0", TestCancellation));
    }

    [Fact]
    public async Task Search_WithATermOfThreeOrMore_MatchesIdsOrOwnersContainingIt_IgnoringCase_OrderedById()
    {
        await PutAsync(1, Account("ACC-2", "Bea Costa"), Account("ACC-1", "Ana Lima"), Account("ACC-3", "Carl Lima"), Account("LIMA-9", "Zoe"));

        Assert.Equal(["ACC-1", "ACC-3", "LIMA-9"], await IdsAsync(new AccountQuery("lima")));
        Assert.Equal(["ACC-2"], await IdsAsync(new AccountQuery("acc-2")));
        Assert.Equal(["ACC-2"], await IdsAsync(new AccountQuery(" Bea Cos ")));
        Assert.Equal(4, (await Store.SearchAccountsAsync(new AccountQuery(null), TestCancellation)).Total);
    }

    [Fact]
    public async Task Search_WithATermShorterThanThree_MatchesIdPrefixesOnly_IgnoringCase()
    {
        await PutAsync(1, Account("AB-1", "Zoe"), Account("XAB-2", "Abel"), Account("ab-3", "Max"), Account("Ac-4", "Ab"));

        var page = await Store.SearchAccountsAsync(new AccountQuery("aB"), TestCancellation);

        Assert.Equal(["AB-1", "ab-3"], page.Items.Select(a => a.AccountId));
        Assert.Equal(2, page.Total);
        Assert.Equal(["AB-1", "Ac-4", "ab-3"], await IdsAsync(new AccountQuery("a")));
        Assert.Empty(await IdsAsync(new AccountQuery("a.")));
    }

    [Fact]
    public async Task Search_TakesQuotesAndQuerySyntaxLiterally()
    {
        await PutAsync(1, Account("ACC-1", "O\"Brien AND *"), Account("ACC-2", "Obrien"));

        Assert.Equal(["ACC-1"], await IdsAsync(new AccountQuery("o\"brien")));
        Assert.Equal(["ACC-1"], await IdsAsync(new AccountQuery("AND *")));
        Assert.Empty(await IdsAsync(new AccountQuery("NOT OR")));
        Assert.Empty(await IdsAsync(new AccountQuery("\"")));
    }

    [Fact]
    public async Task Search_AfterAnId_PagesByKey_AndThePagesTogetherAreTheWholeList()
    {
        var accounts = Enumerable.Range(1, 23).Select(i => Account($"ACC-{i:D3}", i % 2 == 0 ? "Even Owner" : "Odd Owner")).ToArray();
        await PutAsync(1, accounts);
        var seen = new List<string>();
        string? after = null;

        while (true)
        {
            var page = await Store.SearchAccountsAsync(new AccountQuery("owner", after, Take: 5), TestCancellation);
            Assert.Equal(23, page.Total);
            seen.AddRange(page.Items.Select(a => a.AccountId));
            if (page.Items.Count < 5)
                break;
            after = page.Items[^1].AccountId;
        }

        Assert.Equal(accounts.Select(a => a.AccountId), seen);
        Assert.Equal(["ACC-012", "ACC-014"], await IdsAsync(new AccountQuery("even", "ACC-010", Take: 2)));
    }

    [Fact]
    public async Task Search_MatchingMoreThanItCounts_SaysTheTotalIsALowerBound_AndStillPagesInIdOrder()
    {
        var many = Enumerable.Range(0, AccountQuery.CountLimit + 50).Select(i => Account($"BIG-{i:D5}", "Common Owner"));
        await PutAsync(1, [.. many, Account("OTHER-1", "Rare Owner")]);

        var page = await Store.SearchAccountsAsync(new AccountQuery("common", "BIG-00005", Take: 3), TestCancellation);
        var prefix = await Store.SearchAccountsAsync(new AccountQuery("bi", $"BIG-{AccountQuery.CountLimit - 2:D5}", Take: 3), TestCancellation);
        var all = await Store.SearchAccountsAsync(new AccountQuery(null, Take: 1), TestCancellation);

        Assert.Equal(["BIG-00006", "BIG-00007", "BIG-00008"], page.Items.Select(a => a.AccountId));
        Assert.Equal(AccountQuery.CountLimit, page.Total);
        Assert.True(page.TotalIsLowerBound);
        Assert.Equal(Enumerable.Range(AccountQuery.CountLimit - 1, 3).Select(i => $"BIG-{i:D5}"), prefix.Items.Select(a => a.AccountId));
        Assert.True(prefix.TotalIsLowerBound);
        Assert.Equal(AccountQuery.CountLimit + 51, all.Total);
        Assert.False(all.TotalIsLowerBound);
        Assert.Equal(["OTHER-1"], await IdsAsync(new AccountQuery("rare")));
    }

    [Fact]
    public async Task Search_MatchingManyAccountsFarIntoTheIds_FindsTheirPages_ButNotAnAccountHoldingOnlyTheTermsPieces()
    {
        // More matches than the search counts, all after 1,200 accounts that do not match; and one account that holds
        // every three letters of the term ("zz-" in its id, "zzz" in its owner) but not the term.
        var early = Enumerable.Range(0, 1_200).Select(i => Account($"AAA-{i:D4}", "Early Owner"));
        var late = Enumerable.Range(0, AccountQuery.CountLimit + 200).Select(i => Account($"ZZZ-{i:D4}", "Late Owner"));
        await PutAsync(1, [.. early, Account("AAA-ZZ-1", "Zzz"), .. late]);

        var first = await Store.SearchAccountsAsync(new AccountQuery("zzz-", Take: 3), TestCancellation);

        Assert.Equal(["ZZZ-0000", "ZZZ-0001", "ZZZ-0002"], first.Items.Select(a => a.AccountId));
        Assert.True(first.TotalIsLowerBound);
        Assert.Equal(["ZZZ-0011", "ZZZ-0012"], await IdsAsync(new AccountQuery("ZZZ-", "ZZZ-0010", Take: 2)));
        Assert.Equal(["ZZZ-0002", "ZZZ-0003"], await IdsAsync(new AccountQuery("zZz-", Skip: 2, Take: 2)));
        Assert.Equal([$"ZZZ-{AccountQuery.CountLimit + 199:D4}"], await IdsAsync(new AccountQuery("zzz-", $"ZZZ-{AccountQuery.CountLimit + 198:D4}", Take: 5)));

        // The owner changes: the search follows it, in and out.
        await PutAsync(2, Account("AAA-ZZ-1", "zzz-owner"));
        Assert.Equal(["AAA-ZZ-1", "ZZZ-0000"], await IdsAsync(new AccountQuery("zzz-", Take: 2)));
        await PutAsync(3, Account("AAA-ZZ-1", "Nobody"));
        Assert.Equal(["ZZZ-0000"], await IdsAsync(new AccountQuery("zzz-", Take: 1)));

        await Store.ClearAsync(TestCancellation);
        Assert.Empty(await IdsAsync(new AccountQuery("zzz-")));
    }

    [Fact]
    public async Task Search_WithSkipAndTake_PagesAndReportsTheTotal()
    {
        await PutAsync(1, Account("ACC-1"), Account("ACC-2"), Account("ACC-3"), Account("ACC-4"));

        var page = await Store.SearchAccountsAsync(new AccountQuery("", Skip: 1, Take: 2), TestCancellation);

        Assert.Equal(["ACC-2", "ACC-3"], page.Items.Select(a => a.AccountId));
        Assert.Equal(4, page.Total);
    }

    private async Task PutMarksAsync(params AccountState[] marks)
    {
        await using var transaction = await Store.BeginAsync(TestCancellation);
        await transaction.PutMarksAsync(marks, TestCancellation);
        await transaction.CommitAsync(TestCancellation);
    }

    [Fact]
    public async Task Marks_AreFoundByRevisionAndByRecordedTime_TheLastOneAtOrBefore_PerAccount()
    {
        await PutMarksAsync(Account("ACC-1", balance: 1m, revision: 9), Account("ACC-1", balance: 3m, revision: 29), Account("ACC-2", revision: 9));
        await PutMarksAsync(Account("ACC-1", balance: 2m, revision: 19));

        Assert.Null(await Store.FindMarkAtRevisionAsync("ACC-1", 8, TestCancellation));
        Assert.Equal(Account("ACC-1", balance: 1m, revision: 9), await Store.FindMarkAtRevisionAsync("ACC-1", 9, TestCancellation));
        Assert.Equal(Account("ACC-1", balance: 2m, revision: 19), await Store.FindMarkAtRevisionAsync("ACC-1", 28, TestCancellation));
        Assert.Equal(Account("ACC-1", balance: 3m, revision: 29), await Store.FindMarkAtRevisionAsync("ACC-1", long.MaxValue, TestCancellation));
        Assert.Equal(Account("ACC-2", revision: 9), await Store.FindMarkAtRevisionAsync("ACC-2", 100, TestCancellation));
        Assert.Null(await Store.FindMarkAtRevisionAsync("ACC-3", 100, TestCancellation));

        // A mark's recorded time is its state's last change: revision r of these marks was recorded r minutes after T0.
        Assert.Equal(19, (await Store.FindMarkAtTimeAsync("ACC-1", T0.AddMinutes(19), TestCancellation))?.Revision);
        Assert.Equal(9, (await Store.FindMarkAtTimeAsync("ACC-1", T0.AddMinutes(19).AddTicks(-1), TestCancellation))?.Revision);
        Assert.Null(await Store.FindMarkAtTimeAsync("ACC-1", T0.AddMinutes(8), TestCancellation));
        Assert.Equal(29, (await Store.FindMarkAtTimeAsync("ACC-1", DateTimeOffset.MaxValue, TestCancellation))?.Revision);

        // All of one account's marks, oldest first, whatever order they were written in.
        Assert.Equal([1m, 2m, 3m], (await Store.ReadMarksAsync("ACC-1", TestCancellation)).Select(m => m.Balance));
        Assert.Equal([Account("ACC-2", revision: 9)], await Store.ReadMarksAsync("ACC-2", TestCancellation));
        Assert.Empty(await Store.ReadMarksAsync("ACC-3", TestCancellation));
    }

    [Fact]
    public async Task Marks_PutAgain_AreReplaced_AndNeedARevision()
    {
        await PutMarksAsync(Account("ACC-1", balance: 1m, revision: 9));

        await PutMarksAsync(Account("ACC-1", balance: 5m, revision: 9));

        Assert.Equal(5m, (await Store.FindMarkAtRevisionAsync("ACC-1", 9, TestCancellation))?.Balance);
        await using var transaction = await Store.BeginAsync(TestCancellation);
        await Assert.ThrowsAsync<ArgumentException>(() => transaction.PutMarksAsync([AccountState.Initial("ACC-1")], TestCancellation));
    }

    [Fact]
    public async Task Marks_OfATransactionNotCommitted_OrCleared_AreGone()
    {
        await using (var transaction = await Store.BeginAsync(TestCancellation))
            await transaction.PutMarksAsync([Account("ACC-1", revision: 9)], TestCancellation);
        Assert.Null(await Store.FindMarkAtRevisionAsync("ACC-1", 9, TestCancellation));
        await PutMarksAsync(Account("ACC-2", revision: 9));

        await Store.ClearAsync(TestCancellation);

        Assert.Null(await Store.FindMarkAtRevisionAsync("ACC-2", 9, TestCancellation));
        Assert.Null(await Store.FindMarkAtTimeAsync("ACC-2", DateTimeOffset.MaxValue, TestCancellation));
        Assert.Empty(await Store.ReadMarksAsync("ACC-2", TestCancellation));
    }

    [Fact]
    public async Task Clear_DropsEveryRowAndCheckpoint()
    {
        await PutAsync(7, Account("ACC-1"), Account("ACC-2"));

        await Store.ClearAsync(TestCancellation);

        Assert.Null(await Store.ReadCheckpointAsync(AccountDirectory.ProjectionName, TestCancellation));
        Assert.Equal(0, await Store.CountAccountsAsync(TestCancellation));
        Assert.Empty(await IdsAsync(new AccountQuery("acc")));
    }

    [Fact]
    public async Task Open_ForAnotherLedger_EmptiesTheReadModels_AndSaysWhy()
    {
        await PutAsync(7, Account("ACC-1"));
        await DisposeStoreAsync(Store);
        _store = await ReopenStoreAsync(TestCancellation);

        var opening = await Store.OpenAsync("ledger-b", TestCancellation);

        Assert.True(opening.Created);
        Assert.Contains("another ledger", opening.RebuildReason, StringComparison.Ordinal);
        Assert.Null(await Store.ReadCheckpointAsync(AccountDirectory.ProjectionName, TestCancellation));
        Assert.Null(await Store.FindAccountAsync("ACC-1", TestCancellation));
    }

    [Fact]
    public async Task Open_ForTheSameLedger_KeepsRowsAndCheckpoint()
    {
        await PutAsync(7, Account("ACC-1"));
        await DisposeStoreAsync(Store);
        _store = await ReopenStoreAsync(TestCancellation);

        var opening = await Store.OpenAsync("ledger-a", TestCancellation);

        Assert.False(opening.Created);
        Assert.Null(opening.RebuildReason);
        Assert.Equal(7, await Store.ReadCheckpointAsync(AccountDirectory.ProjectionName, TestCancellation));
        Assert.Equal(Account("ACC-1"), await Store.FindAccountAsync("ACC-1", TestCancellation));
    }

    [Fact]
    public async Task EventsPutWhileTheFirstBuildRuns_AcrossARestart_AndAfterItCompletes_AreAllFound()
    {
        IndexedEvent Event(long position, string account, string actor, string reference, string reason) =>
            new(position, account, position, Guid.NewGuid(), AccountEventTypes.FundsDeposited, actor, T0.AddMinutes(position), T0.AddMinutes(position),
                10m, "EUR", reference, $"corr-{position}", null, "teller", reason, false);
        async Task PutEventsAsync(params IndexedEvent[] events)
        {
            await using var transaction = await Store.BeginAsync(TestCancellation);
            await transaction.PutEventsAsync(events, TestCancellation);
            await transaction.SetCheckpointAsync(AccountDirectory.ProjectionName, events[^1].Position, TestCancellation);
            await transaction.CommitAsync(TestCancellation);
        }

        async Task<long[]> FoundAsync(EventQuery query) =>
            [.. (await Store.SearchEventsAsync(query with { OldestFirst = true }, TestCancellation)).Items.Select(e => e.Position)];

        // Two events, a restart while the build from nothing has not caught up (a crash), one more, then it completes.
        await PutEventsAsync(Event(1, "ACC-1", "sam", "TRX-1", "Salary from Acme"), Event(2, "ACC-2", "sara", "TRX-2", "Rent for March"));
        await DisposeStoreAsync(Store);
        _store = await ReopenStoreAsync(TestCancellation);
        await Store.OpenAsync("ledger-a", TestCancellation);
        await PutEventsAsync(Event(3, "ACC-1", "sam", "TRX-3", "Salary from Acme"));
        await Store.CompleteFirstBuildAsync(TestCancellation);

        // Live events from then on; completing again changes nothing.
        await PutEventsAsync(Event(4, "ACC-2", "sam", "TRX-4", "Salary bonus"));
        await Store.CompleteFirstBuildAsync(TestCancellation);

        Assert.Equal(new long[] { 1, 2, 3, 4 }, await FoundAsync(new EventQuery()));
        Assert.Equal(new long[] { 1, 3, 4 }, await FoundAsync(new EventQuery { Text = "salary" }));
        Assert.Equal(new long[] { 1, 3 }, await FoundAsync(new EventQuery { Text = "acme" }));
        Assert.Equal(new long[] { 2 }, await FoundAsync(new EventQuery { Reference = "TRX-2" }));
        Assert.Equal(new long[] { 4 }, await FoundAsync(new EventQuery { CorrelationId = "corr-4" }));
        Assert.Equal(new long[] { 1, 3, 4 }, await FoundAsync(new EventQuery { Actor = "sam" }));
        Assert.Equal(new long[] { 2, 4 }, await FoundAsync(new EventQuery { AccountId = "ACC-2" }));
        Assert.Equal(4, (await Store.SearchEventsAsync(new EventQuery(), TestCancellation)).Total);
    }

    [Fact]
    public async Task ASearchForAnOwnerNoAccountHas_FindsNothing_WhateverElseItAsks()
    {
        await PutAsync(1, Account("ACC-1", owner: "Ana Lima"));
        await using (var transaction = await Store.BeginAsync(TestCancellation))
        {
            await transaction.PutEventsAsync(
                [new(2, "ACC-1", 1, Guid.NewGuid(), AccountEventTypes.FundsDeposited, "sam", T0, T0, 5m, "EUR", "TRX-1", null, null, "teller", "duplicate deposit", true)],
                TestCancellation);
            await transaction.SetCheckpointAsync(AccountDirectory.ProjectionName, 2, TestCancellation);
            await transaction.CommitAsync(TestCancellation);
        }

        await Store.CompleteFirstBuildAsync(TestCancellation);
        foreach (var query in new[]
        {
            new EventQuery { Owner = "xyz" },
            new EventQuery { Owner = "xyz", FlaggedOnly = true },
            new EventQuery { Owner = "xyz", FlaggedOnly = true, Text = "duplicate" },
            new EventQuery { Owner = "xyz", Actor = "sam", OldestFirst = true },
        })
        {
            var result = await Store.SearchEventsAsync(query, TestCancellation);
            var counts = await Store.CountByPeriodAsync(query, EventPeriod.Day, EventSeries.Type, TimeSpan.Zero, TestCancellation);

            Assert.Empty(result.Items);
            Assert.Equal(0, result.Total);
            Assert.Empty(counts.Counts);
        }

        Assert.Single((await Store.SearchEventsAsync(new EventQuery { Owner = "lima", FlaggedOnly = true, Text = "duplicate" }, TestCancellation)).Items);
    }

    [Fact]
    public async Task AnAccountsEvents_AreFoundById_WithinThatAccountOnly()
    {
        var ids = Enumerable.Range(0, 7).Select(_ => Guid.NewGuid()).ToArray();
        IndexedEvent Event(long position, string account, long revision, string type) =>
            new(position, account, revision, ids[position], type, "sam", T0.AddMinutes(position), T0, 10m, "EUR", null, null, null, "teller", "r", false);
        await using (var transaction = await Store.BeginAsync(TestCancellation))
        {
            await transaction.PutEventsAsync(
                [
                    Event(1, "ACC-1", 0, AccountEventTypes.AccountOpened), Event(2, "ACC-1", 1, AccountEventTypes.FundsDeposited),
                    Event(3, "ACC-2", 0, AccountEventTypes.BalanceCorrected), Event(4, "ACC-1", 2, AccountEventTypes.TransactionReversed),
                    Event(5, "ACC-1", 3, AccountEventTypes.CorrectionProposed), Event(6, "ACC-1", 4, AccountEventTypes.BalanceCorrected),
                ],
                TestCancellation);
            await transaction.SetCheckpointAsync(AccountDirectory.ProjectionName, 6, TestCancellation);
            await transaction.CommitAsync(TestCancellation);
        }

        await Store.CompleteFirstBuildAsync(TestCancellation);

        Assert.Equal(3, await Store.FindEventRevisionAsync("ACC-1", ids[5], TestCancellation));
        Assert.Null(await Store.FindEventRevisionAsync("ACC-2", ids[5], TestCancellation));
        Assert.Null(await Store.FindEventRevisionAsync("ACC-1", Guid.NewGuid(), TestCancellation));
        Assert.Equal(0, await Store.FindEventRevisionAsync("ACC-2", ids[3], TestCancellation));
    }

    [Fact]
    public async Task CommandEvents_AreKeptWhole_ReadByTypeUpToAPositionAndSinceATime_AndFoundByTheirFirstId()
    {
        var shared = Guid.NewGuid();
        RecordedEvent Event(long position, string account, long revision, string type, Guid? id = null) => new(
            AccountIds.StreamOf(account), revision, position, id ?? Guid.NewGuid(), type,
            Encoding.UTF8.GetBytes($"{{\"n\":{position}}}"), Encoding.UTF8.GetBytes("{\"actor\":\"sam\"}"), T0.AddMinutes(position));
        var kept = new[]
        {
            Event(3, "ACC-1", 1, AccountEventTypes.TransactionReversed, shared), Event(5, "ACC-2", 0, AccountEventTypes.CorrectionProposed),
            Event(8, "ACC-1", 2, AccountEventTypes.BalanceCorrected), Event(9, "ACC-2", 1, AccountEventTypes.CorrectionApproved),
            Event(12, "ACC-3", 4, AccountEventTypes.BalanceCorrected, shared),
        };
        await using (var transaction = await Store.BeginAsync(TestCancellation))
        {
            await transaction.PutCommandEventsAsync(kept, TestCancellation);
            await transaction.PutCommandEventsAsync([kept[0] with { Revision = 99 }], TestCancellation);
            await transaction.SetCheckpointAsync(AccountDirectory.ProjectionName, 12, TestCancellation);
            await transaction.CommitAsync(TestCancellation);
        }

        await using (var rolledBack = await Store.BeginAsync(TestCancellation))
            await rolledBack.PutCommandEventsAsync([Event(13, "ACC-4", 0, AccountEventTypes.CorrectionRejected)], TestCancellation);

        var corrections = await Store.ReadCommandEventsAsync(AccountEventTypes.Corrections, 10, null, TestCancellation);
        Assert.Equal([3L, 8L], corrections.Select(e => e.Position));
        var first = corrections[0];
        Assert.Equal((kept[0].StreamId, kept[0].Revision, kept[0].EventId, kept[0].EventType, kept[0].Created), (first.StreamId, first.Revision, first.EventId, first.EventType, first.Created));
        Assert.Equal(kept[0].Data.ToArray(), first.Data.ToArray());
        Assert.Equal(kept[0].Metadata.ToArray(), first.Metadata.ToArray());
        Assert.Equal([8L, 12L], (await Store.ReadCommandEventsAsync(AccountEventTypes.Corrections, 12, T0.AddMinutes(8), TestCancellation)).Select(e => e.Position));
        Assert.Equal([5L, 9L], (await Store.ReadCommandEventsAsync(AccountEventTypes.FourEyes, long.MaxValue, null, TestCancellation)).Select(e => e.Position));
        Assert.Equal(3, (await Store.FindCommandEventAsync(shared, TestCancellation))?.Position);
        Assert.Equal(9, (await Store.FindCommandEventAsync(kept[3].EventId, TestCancellation))?.Position);
        Assert.Null(await Store.FindCommandEventAsync(Guid.NewGuid(), TestCancellation));
        Assert.Equal([1L, 2L], (await Store.ReadAccountCommandEventsAsync("ACC-1", TestCancellation)).Select(e => e.Revision));
        Assert.Equal([kept[1].EventId, kept[3].EventId], (await Store.ReadAccountCommandEventsAsync("ACC-2", TestCancellation)).Select(e => e.EventId));
        Assert.Empty(await Store.ReadAccountCommandEventsAsync("ACC-9", TestCancellation));

        await Store.ClearAsync(TestCancellation);

        Assert.Empty(await Store.ReadCommandEventsAsync(AccountEventTypes.Commands, long.MaxValue, null, TestCancellation));
        Assert.Null(await Store.FindCommandEventAsync(shared, TestCancellation));
    }

    /// <summary>The same store after a restart (a new instance over the same file or server), not yet opened.</summary>
    protected abstract Task<IReadModelStore> ReopenStoreAsync(CancellationToken cancellationToken);
}
