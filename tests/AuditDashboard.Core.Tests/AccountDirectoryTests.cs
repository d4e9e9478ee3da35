using AuditDashboard.Core.ReadModels;

using static AuditDashboard.Core.Tests.Events;

namespace AuditDashboard.Core.Tests;

public sealed class AccountDirectoryTests
{
    private static async Task<AccountDirectory> WithAccountsAsync(params (string Id, string Owner)[] accounts)
    {
        var directory = new AccountDirectory();
        foreach (var (id, owner) in accounts)
        {
            await directory.ApplyAsync([
                Recorded(0, new AccountOpened(id, owner, "EUR"), account: id),
                Recorded(1, new FundsDeposited(10m, "EUR", null), account: id),
            ]);
        }

        return directory;
    }

    [Fact]
    public async Task Search_MatchesIdOrOwnerCaseInsensitively_OrderedById()
    {
        var directory = await WithAccountsAsync(("ACC-2", "Bea Costa"), ("ACC-1", "Ana Lima"), ("ACC-3", "Carl Lima"));

        Assert.Equal(["ACC-1", "ACC-3"], directory.Search("lima", 0, 10).Items.Select(a => a.AccountId));
        Assert.Equal(["ACC-2"], directory.Search("acc-2", 0, 10).Items.Select(a => a.AccountId));
        Assert.Equal(3, directory.Search(null, 0, 10).Total);
    }

    [Fact]
    public async Task Search_PagesWithSkipAndTake_AndReportsTheTotal()
    {
        var directory = await WithAccountsAsync(("ACC-1", "A"), ("ACC-2", "B"), ("ACC-3", "C"), ("ACC-4", "D"));

        var page = directory.Search("", 1, 2);

        Assert.Equal(["ACC-2", "ACC-3"], page.Items.Select(a => a.AccountId));
        Assert.Equal(4, page.Total);
    }

    [Fact]
    public async Task Apply_IgnoresAnEventItHasAlreadySeen()
    {
        var directory = await WithAccountsAsync(("ACC-1", "Ana"));

        await directory.ApplyAsync([Recorded(1, new FundsDeposited(10m, "EUR", null))], TestContext.Current.CancellationToken);
        var state = (await directory.FindAsync("ACC-1", TestContext.Current.CancellationToken))!;

        Assert.Equal(10m, state.Balance);
        Assert.Equal(1, state.Revision);
    }

    [Fact]
    public async Task Apply_KeepsTheStateEveryMarkIntervalEvents_AsMarksOfTheAccount()
    {
        var store = new InMemoryReadModelStore();
        var directory = new AccountDirectory(store, markInterval: 10);
        var events = new List<RecordedEvent> { Recorded(0, new AccountOpened("ACC-1", "Ana", "EUR")) };
        events.AddRange(Enumerable.Range(1, 24).Select(r => Recorded(r, new FundsDeposited(1m, "EUR", null))));

        await directory.ApplyAsync(events[..13], TestContext.Current.CancellationToken);
        await directory.ApplyAsync(events[13..], TestContext.Current.CancellationToken);

        var cancellation = TestContext.Current.CancellationToken;
        Assert.Null(await store.FindMarkAtRevisionAsync("ACC-1", 8, cancellation));
        Assert.Equal(Fold([.. events])[9].StateAfter, await store.FindMarkAtRevisionAsync("ACC-1", 18, cancellation));
        Assert.Equal(Fold([.. events])[19].StateAfter, await store.FindMarkAtRevisionAsync("ACC-1", 24, cancellation));
        Assert.Equal(Fold([.. events])[9].StateAfter, await store.FindMarkAtTimeAsync("ACC-1", events[19].Created.AddTicks(-1), cancellation));
    }

    [Fact]
    public async Task Changed_IsRaisedOnlyAfterCatchingUp()
    {
        var directory = await WithAccountsAsync(("ACC-1", "Ana"));
        var changes = new List<AccountState>();
        directory.Changed += (_, s) => changes.Add(s);

        await directory.ApplyAsync([Recorded(2, new FundsDeposited(1m, "EUR", null))], TestContext.Current.CancellationToken);
        directory.MarkCaughtUp();
        await directory.ApplyAsync([Recorded(3, new FundsDeposited(1m, "EUR", null))], TestContext.Current.CancellationToken);

        Assert.True(directory.IsCaughtUp);
        Assert.Equal([3L], changes.Select(c => c.Revision!.Value));
        Assert.Equal(12m, directory.Find("ACC-1")!.Balance);
    }

    [Fact]
    public async Task Apply_OfABatch_WritesEveryChangedAccountAndTheLastPositionAsCheckpoint_InOneTransaction()
    {
        var directory = new AccountDirectory();
        var opened = Recorded(0, new AccountOpened("ACC-7", "Eva", "EUR"), account: "ACC-7");
        var deposit = Recorded(1, new FundsDeposited(5m, "EUR", null), account: "ACC-7") with { Position = 40 };
        var other = Recorded(0, new AccountOpened("ACC-8", "Ivo", "EUR"), account: "ACC-8") with { Position = 41 };

        var changed = await directory.ApplyAsync([opened, deposit, other], TestContext.Current.CancellationToken);

        Assert.Equal(["ACC-7", "ACC-8"], changed.Select(a => a.AccountId).Order(StringComparer.Ordinal));
        Assert.Equal(5m, (await directory.FindAsync("ACC-7", TestContext.Current.CancellationToken))!.Balance);
        Assert.Equal(41, await directory.Store.ReadCheckpointAsync(AccountDirectory.ProjectionName, TestContext.Current.CancellationToken));
        Assert.Equal(2, directory.Count);
    }

    [Fact]
    public async Task Search_WithATermShorterThanThree_MatchesIdPrefixesOnly_IgnoringCase()
    {
        var directory = await WithAccountsAsync(("AB-1", "Zoe"), ("XAB-2", "Abel"), ("ab-3", "Max"));

        var page = await directory.SearchAsync(new AccountQuery("ab"), TestContext.Current.CancellationToken);

        Assert.Equal(["AB-1", "ab-3"], page.Items.Select(a => a.AccountId));
    }

    [Fact]
    public async Task Subscribers_HearOfEveryChange_WhileCatchingUpToo_AndOfCatchingUp_ButNotOfARepeat()
    {
        var directory = await WithAccountsAsync(("ACC-1", "Ana"));
        var seen = new List<(long Revision, bool CaughtUp)>();
        using var subscription = directory.Subscribe(() =>
        {
            seen.Add((directory.Find("ACC-1")!.Revision!.Value, directory.IsCaughtUp));
            return Task.CompletedTask;
        });

        await directory.ApplyAsync([Recorded(2, new FundsDeposited(1m, "EUR", null))], TestContext.Current.CancellationToken);
        await directory.ApplyAsync([Recorded(2, new FundsDeposited(1m, "EUR", null))], TestContext.Current.CancellationToken);
        directory.MarkCaughtUp();
        await directory.ApplyAsync([Recorded(3, new FundsDeposited(1m, "EUR", null))], TestContext.Current.CancellationToken);

        Assert.Equal([(2L, false), (2L, true), (3L, true)], seen);
    }
}
