using AuditDashboard.Core.Reports;
using AuditDashboard.Core.Search;
using static AuditDashboard.Adapters.Tests.Reports.ReportEvents;

namespace AuditDashboard.Adapters.Tests.Reports;

/// <summary>
/// The corrections report of December 2026 in Paris over a small known set of events in the event index (SQLite and
/// in memory), against figures worked out by hand.
/// </summary>
public sealed class CorrectionsReportTests : IDisposable
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    // December 2026 in Paris (UTC+1): from 30 Nov 23:00 UTC to the last tick of 31 Dec 22:59:59 UTC.
    private static readonly ReportPeriod December = new(
        new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero).AddTicks(-1), Paris);

    private static readonly Guid P0 = Guid.NewGuid(), P1 = Guid.NewGuid(), P2 = Guid.NewGuid(), P3 = Guid.NewGuid(), Unknown = Guid.NewGuid();

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) =>
        new(month == 1 ? 2027 : 2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static IndexedEvent[] Events() =>
    [
        Proposal(1, P0, "sam", Utc(11, 20, 10), "c-0"),
        Correction(2, AccountEventTypes.BalanceCorrected, "sam", Utc(11, 30, 22, 59), 999m, "EUR"), // 23:59 in Paris: November
        Correction(3, AccountEventTypes.TransactionReversed, "sam", Utc(11, 30, 23, 30), -100m, "EUR"), // 00:30 on 1 December in Paris
        Correction(4, AccountEventTypes.BalanceCorrected, "sara", Utc(12, 2, 9), 50m, "USD", "ACC-2"),
        Correction(5, AccountEventTypes.BalanceCorrected, "sam", Utc(12, 2, 10), 20m, "EUR"),
        Proposal(6, P1, "sam", Utc(12, 3, 8), "c-1", "ACC-2"),
        Decision(7, approve: true, P1, "sara", Utc(12, 3, 10), "c-1", "ACC-2"), // 2 hours after its proposal
        Correction(8, AccountEventTypes.TransactionReversed, "sam", Utc(12, 3, 10), -30m, "USD", "ACC-2"), // written with the approval
        Decision(9, approve: false, P0, "sara", Utc(12, 4, 10), "c-0"), // 14 days after its proposal, made in November
        Proposal(10, P2, "sara", Utc(12, 5, 12), "c-2"),
        Proposal(11, P3, "sam", Utc(12, 6, 12), "c-3", "ACC-2"),
        Decision(12, approve: true, Unknown, "sam", Utc(12, 7, 10), "c-4"), // its proposal is not in the index
        Correction(13, AccountEventTypes.BalanceCorrected, null, Utc(12, 8, 10), null, null), // unreadable: no actor, no amount
        new IndexedEvent(14, "ACC-1", 14, Guid.NewGuid(), AccountEventTypes.FundsDeposited, "sam", Utc(12, 9, 10), Utc(12, 9, 10), 500m, "EUR", null, null, null, "seed", null, false),
        Decision(15, approve: false, P2, "sam", Utc(1, 2, 10), "c-2"), // after the period: P2 is decided, P3 is still pending
        Correction(16, AccountEventTypes.BalanceCorrected, "sam", Utc(1, 3, 10), 7m, "EUR"),
    ];

    [Fact]
    public async Task Report_OfAPeriod_CountsAndSumsItsCorrections_ByActorKindAndCurrency_NeverAcrossCurrencies()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var stores = await StoresHoldingAsync(_folder, Events(), cancellationToken);

        foreach (var store in stores.All)
        {
            var report = await CorrectionsReport.ReadAsync(store, December, cancellationToken: cancellationToken);

            Assert.Equal(5, report.Corrections);
            Assert.Equal(
                Flat(
                [
                    Group("sam", 3, new CurrencyTotal("EUR", -80m, 120m), new CurrencyTotal("USD", -30m, 30m)),
                    Group("", 1),
                    Group("sara", 1, new CurrencyTotal("USD", 50m, 50m)),
                ]),
                Flat(report.ByActor));
            Assert.Equal(
                Flat(
                [
                    Group(AccountEventTypes.BalanceCorrected, 3, new CurrencyTotal("EUR", 20m, 20m), new CurrencyTotal("USD", 50m, 50m)),
                    Group(AccountEventTypes.TransactionReversed, 2, new CurrencyTotal("EUR", -100m, 100m), new CurrencyTotal("USD", -30m, 30m)),
                ]),
                Flat(report.ByKind));
            Assert.Equal(
                Flat([Group("EUR", 2, new CurrencyTotal("EUR", -80m, 120m)), Group("USD", 2, new CurrencyTotal("USD", 20m, 80m)), Group("", 1)]),
                Flat(report.ByCurrency));
            Assert.Equal(11, report.EventsRead); // positions 3 to 13: the deposit, and what lies outside the period, are not read
        }
    }

    [Fact]
    public async Task Report_OfAPeriod_CountsItsFourEyesEvents_PendingProposals_AndTheMedianTimeToADecision()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var stores = await StoresHoldingAsync(_folder, Events(), cancellationToken);

        foreach (var store in stores.All)
        {
            var report = await CorrectionsReport.ReadAsync(store, December, cancellationToken: cancellationToken);

            // Timed: P1 after 2 hours, P0 (proposed in November) after 14 days; the decision of an unknown proposal is not.
            Assert.Equal(new FourEyesFigures(Proposed: 3, Approved: 2, Rejected: 1, Pending: 1, TimeSpan.FromHours((2 + 14 * 24) / 2.0), DecisionsTimed: 2), report.FourEyes);
        }
    }

    [Fact]
    public async Task Report_OfAMonth_ChartsEveryDayOfIt_InTheViewersZone()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var stores = await StoresHoldingAsync(_folder, Events(), cancellationToken);

        foreach (var store in stores.All)
        {
            var report = await CorrectionsReport.ReadAsync(store, December, cancellationToken: cancellationToken);

            Assert.Equal(Enumerable.Range(1, 31).Select(d => new DateOnly(2026, 12, d)), report.Buckets.Select(b => b.Start));
            var counted = report.Buckets
                .SelectMany(b => b.CountByKind.Select(k => $"{b.Start:MM-dd} {k.Key} {k.Value}"))
                .ToList();
            Assert.Equal(
                [
                    $"12-01 {AccountEventTypes.TransactionReversed} 1",
                    $"12-02 {AccountEventTypes.BalanceCorrected} 2",
                    $"12-03 {AccountEventTypes.TransactionReversed} 1",
                    $"12-08 {AccountEventTypes.BalanceCorrected} 1",
                ],
                counted);
        }
    }

    [Fact]
    public async Task Report_OfAPeriodWithoutEvents_IsAllZeros()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var stores = await StoresHoldingAsync(_folder, Events(), cancellationToken);
        var march = new ReportPeriod(Utc(1, 1, 0).AddMonths(2), Utc(1, 1, 0).AddMonths(3).AddTicks(-1), TimeZoneInfo.Utc);

        foreach (var store in stores.All)
        {
            var report = await CorrectionsReport.ReadAsync(store, march, cancellationToken: cancellationToken);

            Assert.Equal(0, report.Corrections);
            Assert.Empty(report.ByActor);
            Assert.Equal(new FourEyesFigures(0, 0, 0, 0, null, 0), report.FourEyes);
            Assert.Equal(31, report.Buckets.Count);
            Assert.All(report.Buckets, b => Assert.Empty(b.CountByKind));
        }
    }

    [Fact]
    public void Period_WhoseStartIsAfterItsEnd_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new ReportPeriod(Utc(12, 2, 0), Utc(12, 1, 0), TimeZoneInfo.Utc));

        Assert.Contains("from (2026-12-02T00:00:00.0000000+00:00) is after to", error.Message, StringComparison.Ordinal);
    }

    // Records holding lists compare the lists by reference: compare their items instead.
    private static List<string> Flat(IEnumerable<CorrectionGroup> groups) =>
        groups.Select(g => $"{g.Name}: {g.Count} [{string.Join(", ", g.Totals)}]").ToList();

    private static CorrectionGroup Group(string name, long count, params CurrencyTotal[] totals) => new(name, count, totals);
}
