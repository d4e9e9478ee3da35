using static AuditDashboard.Core.Tests.Events;

namespace AuditDashboard.Core.Tests;

public sealed class AccountDirectoryTests
{
    private static AccountDirectory WithAccounts(params (string Id, string Owner)[] accounts)
    {
        var directory = new AccountDirectory();
        foreach (var (id, owner) in accounts)
        {
            directory.Apply(id, Recorded(0, new AccountOpened(id, owner, "EUR"), account: id));
            directory.Apply(id, Recorded(1, new FundsDeposited(10m, "EUR", null), account: id));
        }

        return directory;
    }

    [Fact]
    public void Search_MatchesIdOrOwnerCaseInsensitively_OrderedById()
    {
        var directory = WithAccounts(("ACC-2", "Bea Costa"), ("ACC-1", "Ana Lima"), ("ACC-3", "Carl Lima"));

        Assert.Equal(["ACC-1", "ACC-3"], directory.Search("lima", 0, 10).Items.Select(a => a.AccountId));
        Assert.Equal(["ACC-2"], directory.Search("acc-2", 0, 10).Items.Select(a => a.AccountId));
        Assert.Equal(3, directory.Search(null, 0, 10).Total);
    }

    [Fact]
    public void Search_PagesWithSkipAndTake_AndReportsTheTotal()
    {
        var directory = WithAccounts(("ACC-1", "A"), ("ACC-2", "B"), ("ACC-3", "C"), ("ACC-4", "D"));

        var page = directory.Search("", 1, 2);

        Assert.Equal(["ACC-2", "ACC-3"], page.Items.Select(a => a.AccountId));
        Assert.Equal(4, page.Total);
    }

    [Fact]
    public void Apply_IgnoresAnEventItHasAlreadySeen()
    {
        var directory = WithAccounts(("ACC-1", "Ana"));

        var state = directory.Apply("ACC-1", Recorded(1, new FundsDeposited(10m, "EUR", null)));

        Assert.Equal(10m, state.Balance);
        Assert.Equal(1, state.Revision);
    }

    [Fact]
    public void Changed_IsRaisedOnlyAfterCatchingUp()
    {
        var directory = WithAccounts(("ACC-1", "Ana"));
        var changes = new List<AccountState>();
        directory.Changed += (_, s) => changes.Add(s);

        directory.Apply("ACC-1", Recorded(2, new FundsDeposited(1m, "EUR", null)));
        directory.MarkCaughtUp();
        directory.Apply("ACC-1", Recorded(3, new FundsDeposited(1m, "EUR", null)));

        Assert.True(directory.IsCaughtUp);
        Assert.Equal([3L], changes.Select(c => c.Revision!.Value));
        Assert.Equal(12m, directory.Find("ACC-1")!.Balance);
    }

    [Fact]
    public void Subscribers_HearOfEveryChange_WhileCatchingUpToo_AndOfCatchingUp_ButNotOfARepeat()
    {
        var directory = WithAccounts(("ACC-1", "Ana"));
        var seen = new List<(long Revision, bool CaughtUp)>();
        using var subscription = directory.Subscribe(() =>
        {
            seen.Add((directory.Find("ACC-1")!.Revision!.Value, directory.IsCaughtUp));
            return Task.CompletedTask;
        });

        directory.Apply("ACC-1", Recorded(2, new FundsDeposited(1m, "EUR", null)));
        directory.Apply("ACC-1", Recorded(2, new FundsDeposited(1m, "EUR", null)));
        directory.MarkCaughtUp();
        directory.Apply("ACC-1", Recorded(3, new FundsDeposited(1m, "EUR", null)));

        Assert.Equal([(2L, false), (2L, true), (3L, true)], seen);
    }
}
