using AuditDashboard.Core.Reports;
using AuditDashboard.Core.Search;
using FsCheck.Xunit;
using static AuditDashboard.Adapters.Tests.Reports.ReportEvents;

namespace AuditDashboard.Adapters.Tests.Reports;

/// <summary>
/// For any ledger of corrections, proposals and decisions and any period, the report read from the event index (SQLite
/// and in memory, in pages smaller than the events) equals the figures worked out by brute force over every event.
/// </summary>
public sealed class CorrectionsReportPropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string?[] Actors = ["sam", "sara", "olivia", null];
    private static readonly string[] Accounts = ["ACC-1", "ACC-2", "ACC-3"];

    [Property(MaxTest = 40)]
    public void Report_EqualsTheFiguresWorkedOutOverEveryEvent(int seed)
    {
        var random = new Random(seed);
        var events = RandomLedger(random);
        var times = events.Select(e => e.Recorded).Append(Start).ToList();
        var a = times[random.Next(times.Count)].AddMinutes(random.Next(-30, 31));
        var b = times[random.Next(times.Count)].AddMinutes(random.Next(-30, 31));
        var period = new ReportPeriod(a < b ? a : b, a < b ? b : a, random.Next(2) == 0 ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        var expected = BruteForce(events, period);

        using var folder = new TempFolder();
        var stores = StoresHoldingAsync(folder, events, CancellationToken.None).GetAwaiter().GetResult();
        try
        {
            foreach (var store in stores.All)
            {
                var report = CorrectionsReport.ReadAsync(new SmallPages(store), period).GetAwaiter().GetResult();

                Assert.Equal(expected, Describe(report));
            }
        }
        finally
        {
            stores.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>A ledger in recorded order: corrections, proposals, and decisions of earlier proposals, some sharing a moment.</summary>
    private static List<IndexedEvent> RandomLedger(Random random)
    {
        var events = new List<IndexedEvent>();
        var open = new List<IndexedEvent>();
        var moment = Start;
        for (var position = 1L; position <= random.Next(0, 150); position++)
        {
            moment = moment.AddMinutes(random.Next(0, 3) * random.Next(1, 600));
            var actor = Actors[random.Next(Actors.Length)];
            var account = Accounts[random.Next(Accounts.Length)];
            switch (random.Next(6))
            {
                case 0 or 1:
                    var amount = random.Next(8) == 0 ? (decimal?)null : Math.Round((decimal)(random.NextDouble() * 2_000 - 1_000), 2);
                    var type = random.Next(2) == 0 ? AccountEventTypes.TransactionReversed : AccountEventTypes.BalanceCorrected;
                    events.Add(Correction(position, type, actor, moment, amount, amount is null ? null : random.Next(2) == 0 ? "EUR" : "USD", account));
                    break;
                case 2:
                    // Correlation ids shared between accounts and proposals: a proposal is still found by its own id.
                    var proposal = Proposal(position, Guid.NewGuid(), actor ?? "sam", moment, $"c-{random.Next(3)}", account);
                    events.Add(proposal);
                    open.Add(proposal);
                    break;
                case 3 when open.Count > 0:
                    var decided = open[random.Next(open.Count)];
                    open.Remove(decided);
                    events.Add(Decision(position, random.Next(2) == 0, decided.EventId, "sara", moment, decided.CorrelationId!, decided.AccountId));
                    break;
                case 4:
                    events.Add(Decision(position, random.Next(2) == 0, Guid.NewGuid(), "sara", moment, "c-9", account)); // of a proposal the index never held
                    break;
                default:
                    events.Add(new IndexedEvent(position, account, position, Guid.NewGuid(), AccountEventTypes.FundsDeposited, actor, moment, moment, 10m, "EUR", null, null, null, "seed", null, false));
                    break;
            }
        }

        return events;
    }

    private static List<string> BruteForce(List<IndexedEvent> events, ReportPeriod period)
    {
        var inPeriod = events.Where(e => e.Recorded >= period.From && e.Recorded <= period.To).ToList();
        var corrections = inPeriod.Where(e => e.EventType is AccountEventTypes.TransactionReversed or AccountEventTypes.BalanceCorrected).ToList();
        var proposals = inPeriod.Where(e => e.EventType == AccountEventTypes.CorrectionProposed).ToList();
        var decisions = inPeriod.Where(e => e.EventType is AccountEventTypes.CorrectionApproved or AccountEventTypes.CorrectionRejected).ToList();
        var everyDecided = events.Where(e => e.EventType is AccountEventTypes.CorrectionApproved or AccountEventTypes.CorrectionRejected).Select(e => e.CausationId).ToHashSet();
        var durations = decisions
            .Select(d => events.FirstOrDefault(p => p.EventType == AccountEventTypes.CorrectionProposed && p.EventId.ToString() == d.CausationId) is { } p ? d.Recorded - p.Recorded : (TimeSpan?)null)
            .OfType<TimeSpan>()
            .Order()
            .ToList();
        TimeSpan? median = durations.Count == 0 ? null
            : durations.Count % 2 == 1 ? durations[durations.Count / 2]
            : TimeSpan.FromTicks((durations[durations.Count / 2 - 1].Ticks + durations[durations.Count / 2].Ticks) / 2);

        var lines = new List<string> { $"corrections {corrections.Count}" };
        lines.AddRange(Groups("actor", corrections, e => e.Actor ?? ""));
        lines.AddRange(Groups("kind", corrections, e => e.EventType));
        lines.AddRange(Groups("currency", corrections, e => e.Amount is null ? "" : e.Currency!));
        lines.Add($"proposed {proposals.Count}, approved {decisions.Count(d => d.EventType == AccountEventTypes.CorrectionApproved)}, "
            + $"rejected {decisions.Count(d => d.EventType == AccountEventTypes.CorrectionRejected)}, "
            + $"pending {proposals.Count(p => !everyDecided.Contains(p.EventId.ToString()))}, median {median}, timed {durations.Count}");
        lines.Add($"charted {corrections.Count}");
        return lines;
    }

    private static IEnumerable<string> Groups(string by, List<IndexedEvent> corrections, Func<IndexedEvent, string> key) =>
        corrections
            .GroupBy(key)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{by} {g.Key}: {g.Count()} " + string.Join(" ", g
                .Where(e => e.Amount is not null)
                .GroupBy(e => e.Currency!).OrderBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => $"{c.Key} {c.Sum(e => e.Amount!.Value)}/{c.Sum(e => Math.Abs(e.Amount!.Value))}")));

    private static List<string> Describe(CorrectionsReport report)
    {
        var lines = new List<string> { $"corrections {report.Corrections}" };
        void Add(string by, IEnumerable<CorrectionGroup> groups) => lines.AddRange(groups.Select(g =>
            $"{by} {g.Name}: {g.Count} " + string.Join(" ", g.Totals.Select(t => $"{t.Currency} {t.Net}/{t.Gross}"))));
        Add("actor", report.ByActor);
        Add("kind", report.ByKind);
        Add("currency", report.ByCurrency);
        var f = report.FourEyes;
        lines.Add($"proposed {f.Proposed}, approved {f.Approved}, rejected {f.Rejected}, pending {f.Pending}, median {f.MedianToDecision}, timed {f.DecisionsTimed}");
        lines.Add($"charted {report.Buckets.Sum(b => b.CountByKind.Values.Sum())}");
        return lines;
    }
}
