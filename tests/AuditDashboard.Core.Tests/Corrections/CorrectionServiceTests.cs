namespace AuditDashboard.Core.Tests.Corrections;

/// <summary>
/// <see cref="CorrectionService"/> over the in-memory store: the rules are judged on the account as its author saw it
/// (at the expected revision), and the append with that revision decides between written and conflict.
/// </summary>
public class CorrectionServiceTests : IAsyncLifetime
{
    private const string AccountId = "COR-1";
    private const string Reason = "Deposit recorded twice by the gateway";

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2100, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private InMemoryEventStore _store = default!;
    private CorrectionService _service = default!;
    private CompactReading? _compact;

    // Revisions: 0 opened, 1 deposit 100, 2 the same deposit again, 3 withdrawal 30. Balance 170 EUR.
    private readonly Guid[] _ids = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];

    private static string Stream => AccountIds.StreamOf(AccountId);

    public async ValueTask InitializeAsync()
    {
        _store = new InMemoryEventStore();
        await _store.InitializeAsync(TestContext.Current.CancellationToken);
        await _store.AppendAsync(Stream, ExpectedRevision.NoStream,
        [
            Encode(_ids[0], new AccountOpened(AccountId, "Corinne Test", "EUR")),
            Encode(_ids[1], new FundsDeposited(100m, "EUR", "TRX-1")),
            Encode(_ids[2], new FundsDeposited(100m, "EUR", "TRX-1")),
            Encode(_ids[3], new FundsWithdrawn(30m, "EUR", null)),
        ],
        TestContext.Current.CancellationToken);
        _compact = Compact ? await CompactReading.StartAsync(_store, TestContext.Current.CancellationToken) : null;
        _service = new CorrectionService(_store, new AccountTimelines(_store), _clock, reads: _compact?.Reads);
    }

    public async ValueTask DisposeAsync()
    {
        if (_compact is not null)
            await _compact.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Whether the service reads each account as a compact snapshot (the subclass below) instead of loading it.</summary>
    protected virtual bool Compact => false;

    [Fact(Timeout = 30_000)]
    public async Task Reversal_AtTheCurrentRevision_IsWritten_WithTheCommandIdAsEventId_AndItsMetadata()
    {
        var command = Command(Reverse(_ids[2]), expectedRevision: 3);

        var outcome = await _service.PostAsync(command, TestContext.Current.CancellationToken);

        var written = Assert.IsType<CorrectionOutcome.Written>(outcome);
        Assert.Equal(4, written.Revision);
        var reversal = Assert.IsType<TransactionReversed>(written.Correction);
        Assert.Equal(_ids[2], reversal.ReversedEventId);
        Assert.Equal(2, reversal.ReversedRevision);
        Assert.Equal(-100m, reversal.Amount);
        Assert.Equal("EUR", reversal.Currency);

        var events = await ReadStreamAsync();
        Assert.Equal(5, events.Count);
        var stored = events[4];
        Assert.Equal(4, stored.Revision);
        Assert.Equal(command.CommandId, stored.EventId);
        Assert.Equal(AccountEventTypes.TransactionReversed, stored.EventType);
        var decoded = AccountEventCodec.Decode(stored);
        Assert.Equal(reversal, decoded.Event);
        Assert.Equal(new EventMetadata("tester", Reason, command.CorrelationId, _ids[2].ToString(), "tests"), decoded.Metadata);
    }

    [Fact(Timeout = 30_000)]
    public async Task Adjustment_WithoutEffectiveTime_IsWritten_EffectiveNow_AndMovesTheBalance()
    {
        var command = Command(new CorrectionRequest(CorrectionKind.Adjustment, null, -12.34m, Reason, null), expectedRevision: 3);

        var outcome = await _service.PostAsync(command, TestContext.Current.CancellationToken);

        var written = Assert.IsType<CorrectionOutcome.Written>(outcome);
        Assert.Equal(4, written.Revision);
        Assert.Equal(new BalanceCorrected(-12.34m, "EUR", null, _clock.Now), written.Correction);
        var timeline = await new AccountTimelines(_store).GetAsync(AccountId, TestContext.Current.CancellationToken);
        Assert.Equal(157.66m, timeline!.Snapshot.Current.Balance);
        Assert.Null(AccountEventCodec.Decode((await ReadStreamAsync())[4]).Metadata!.CausationId);
    }

    [Fact(Timeout = 30_000)]
    public async Task TheSameCommandTwice_IsWrittenOnce_AndBothTimesAnswersWrittenAtTheSameRevision()
    {
        var command = Command(Reverse(_ids[2]), expectedRevision: 3);

        var first = await _service.PostAsync(command, TestContext.Current.CancellationToken);
        var again = await _service.PostAsync(command, TestContext.Current.CancellationToken);

        Assert.Equal(4, Assert.IsType<CorrectionOutcome.Written>(first).Revision);
        Assert.Equal(4, Assert.IsType<CorrectionOutcome.Written>(again).Revision);
        Assert.Equal(5, (await ReadStreamAsync()).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task ARequestBreakingTheRules_IsRefusedByField_AndNothingIsWritten()
    {
        var outcome = await _service.PostAsync(
            Command(new CorrectionRequest(CorrectionKind.Adjustment, Guid.NewGuid(), 0m, "too short", null), expectedRevision: 3), TestContext.Current.CancellationToken);

        var refused = Assert.IsType<CorrectionOutcome.Refused>(outcome);
        Assert.Equal(["amount", "eventId", "reason"], refused.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(4, (await ReadStreamAsync()).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task ReversingTwice_AtTheCurrentRevision_IsRefused_AsAlreadyReversed()
    {
        Assert.IsType<CorrectionOutcome.Written>(await _service.PostAsync(Command(Reverse(_ids[2]), expectedRevision: 3), TestContext.Current.CancellationToken));

        var outcome = await _service.PostAsync(Command(Reverse(_ids[2]), expectedRevision: 4), TestContext.Current.CancellationToken);

        var refused = Assert.IsType<CorrectionOutcome.Refused>(outcome);
        Assert.Contains("already reversed", Assert.Single(refused.Errors["eventId"]), StringComparison.Ordinal);
        Assert.Equal(5, (await ReadStreamAsync()).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task AValidRequest_PreparedOnAnOlderRevision_IsAConflict_WithTheEventsSince()
    {
        var deposit = Guid.NewGuid();
        await _store.AppendAsync(Stream, ExpectedRevision.Exact(3), [Encode(deposit, new FundsDeposited(5m, "EUR", null))], TestContext.Current.CancellationToken);

        var outcome = await _service.PostAsync(Command(Reverse(_ids[2]), expectedRevision: 3), TestContext.Current.CancellationToken);

        var conflict = Assert.IsType<CorrectionOutcome.Conflict>(outcome);
        Assert.Equal(3, conflict.ExpectedRevision);
        Assert.Equal(4, conflict.ActualRevision);
        var newer = Assert.Single(conflict.NewEvents);
        Assert.Equal(4, newer.Revision);
        Assert.Equal(deposit, newer.Record.EventId);
        Assert.Equal(5, (await ReadStreamAsync()).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task TheRulesJudgeTheAccountAsOfTheExpectedRevision_SoAStaleRepeatOfAReversal_IsAConflict_NotAlreadyReversed()
    {
        Assert.IsType<CorrectionOutcome.Written>(await _service.PostAsync(Command(Reverse(_ids[2]), expectedRevision: 3), TestContext.Current.CancellationToken));

        // Another poster, who saw revision 3 too, reverses the same deposit with a command of their own.
        var outcome = await _service.PostAsync(Command(Reverse(_ids[2]), expectedRevision: 3), TestContext.Current.CancellationToken);

        var conflict = Assert.IsType<CorrectionOutcome.Conflict>(outcome);
        Assert.Equal(4, conflict.ActualRevision);
        Assert.Equal(AccountEventTypes.TransactionReversed, Assert.Single(conflict.NewEvents).EventType);
        Assert.Equal(5, (await ReadStreamAsync()).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task TheRulesJudgeTheAccountAsOfTheExpectedRevision_SoAClosingSinceThen_IsAConflict()
    {
        await _store.AppendAsync(Stream, ExpectedRevision.Exact(3), [Encode(Guid.NewGuid(), new AccountClosed())], TestContext.Current.CancellationToken);

        var outcome = await _service.PostAsync(Command(Reverse(_ids[1]), expectedRevision: 3), TestContext.Current.CancellationToken);

        Assert.Equal(4, Assert.IsType<CorrectionOutcome.Conflict>(outcome).ActualRevision);
    }

    [Fact(Timeout = 30_000)]
    public async Task AnEventWrittenAfterTheExpectedRevision_IsNotInTheAccountAsSeen_AndCannotBeReversed()
    {
        var deposit = Guid.NewGuid();
        await _store.AppendAsync(Stream, ExpectedRevision.Exact(3), [Encode(deposit, new FundsDeposited(5m, "EUR", null))], TestContext.Current.CancellationToken);

        var outcome = await _service.PostAsync(Command(Reverse(deposit), expectedRevision: 3), TestContext.Current.CancellationToken);

        Assert.True(Assert.IsType<CorrectionOutcome.Refused>(outcome).Errors.ContainsKey("eventId"));
    }

    [Fact(Timeout = 30_000)]
    public async Task AClosedAccount_IsRefused()
    {
        await _store.AppendAsync(Stream, ExpectedRevision.Exact(3), [Encode(Guid.NewGuid(), new AccountClosed())], TestContext.Current.CancellationToken);

        var outcome = await _service.PostAsync(Command(Reverse(_ids[1]), expectedRevision: 4), TestContext.Current.CancellationToken);

        Assert.True(Assert.IsType<CorrectionOutcome.Refused>(outcome).Errors.ContainsKey("account"));
        Assert.Equal(5, (await ReadStreamAsync()).Count);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(4L)]
    [InlineData(99L)]
    [InlineData(-1L)]
    public async Task AnExpectedRevisionTheAccountDoesNotHave_IsRefused_OnExpectedRevision(long expectedRevision)
    {
        var outcome = await _service.PostAsync(Command(Reverse(_ids[2]), expectedRevision), TestContext.Current.CancellationToken);

        var refused = Assert.IsType<CorrectionOutcome.Refused>(outcome);
        Assert.Equal(["expectedRevision"], refused.Errors.Keys);
        Assert.Contains("its last is 3", Assert.Single(refused.Errors["expectedRevision"]), StringComparison.Ordinal);
        Assert.Equal(4, (await ReadStreamAsync()).Count);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("COR-404")]
    [InlineData("not*an~id")]
    public async Task AnUnknownOrMalformedAccount_IsNotFound_AndNoStreamIsCreated(string accountId)
    {
        var outcome = await _service.PostAsync(Command(Reverse(_ids[2]), expectedRevision: 0) with { AccountId = accountId }, TestContext.Current.CancellationToken);

        Assert.IsType<CorrectionOutcome.NotFound>(outcome);
        if (AccountIds.IsValid(accountId))
            Assert.Null(await _store.GetLastRevisionAsync(AccountIds.StreamOf(accountId), TestContext.Current.CancellationToken));
    }

    private static CorrectionRequest Reverse(Guid eventId) => new(CorrectionKind.Reversal, eventId, null, Reason, null);

    private static CorrectionCommand Command(CorrectionRequest request, long expectedRevision) =>
        new(AccountId, request, expectedRevision, Guid.NewGuid(), "tester", Guid.NewGuid().ToString("N"), "tests");

    private static EventData Encode(Guid id, AccountEvent accountEvent) =>
        AccountEventCodec.Encode(id, accountEvent, new EventMetadata("teller:ana", "Seed", "seed", null, "tests"));

    private async Task<List<RecordedEvent>> ReadStreamAsync()
    {
        var events = new List<RecordedEvent>();
        await foreach (var e in _store.ReadStreamAsync(Stream, Direction.Forwards, StreamRevision.Start, long.MaxValue, TestContext.Current.CancellationToken))
            events.Add(e);
        return events;
    }
}

/// <summary>The same, with the service reading each account as a compact snapshot of it (as it reads a long account).</summary>
public sealed class CorrectionServiceTestsWithCompactReads : CorrectionServiceTests
{
    protected override bool Compact => true;
}
