using AuditDashboard.Core.ReadModels;

using static AuditDashboard.Core.Tests.Events;

namespace AuditDashboard.Core.Tests;

public sealed class AccountHistoryTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AtRevision_StartsFromTheNearestMark_NotFromTheFirstEvent()
    {
        var store = new InMemoryEventStore();
        await store.AppendAsync(AccountIds.StreamOf("ACC-1"), ExpectedRevision.NoStream, [
            AccountEventCodec.Encode(Guid.NewGuid(), new AccountOpened("ACC-1", "Ana", "EUR"), Meta()),
            AccountEventCodec.Encode(Guid.NewGuid(), new FundsDeposited(5m, "EUR", null), Meta()),
            AccountEventCodec.Encode(Guid.NewGuid(), new FundsDeposited(7m, "EUR", null), Meta()),
        ], Cancellation);
        var readModels = new InMemoryReadModelStore();
        var opened = (await new AccountHistory(store, readModels).AtRevisionAsync("ACC-1", 0, Cancellation))!.StateAfter;

        // A mark that says 100 where the events say 0: only a reader that starts there answers 112.
        await using (var transaction = await readModels.BeginAsync(Cancellation))
        {
            await transaction.PutMarksAsync([opened with { Balance = 100m }], Cancellation);
            await transaction.CommitAsync(Cancellation);
        }

        var history = new AccountHistory(store, readModels);

        Assert.Equal(112m, (await history.AtRevisionAsync("ACC-1", 2, Cancellation))!.StateAfter.Balance);
        Assert.Equal(12m, (await new AccountHistory(store, new InMemoryReadModelStore()).AtRevisionAsync("ACC-1", 2, Cancellation))!.StateAfter.Balance);
    }

    [Fact]
    public async Task ForAnUnknownOrMalformedAccount_ThereIsNoLastRevision()
    {
        var history = new AccountHistory(new InMemoryEventStore(), new InMemoryReadModelStore());

        Assert.Null(await history.LastRevisionAsync("ACC-404", Cancellation));
        Assert.Null(await history.LastRevisionAsync("not an id!", Cancellation));
        Assert.Null(await history.LastRevisionAsync(null, Cancellation));
        Assert.Null(await history.AtRevisionAsync("ACC-404", 0, Cancellation));
        Assert.Empty(await history.ReadAsync("ACC-404", 0, 10, Cancellation));
    }
}
