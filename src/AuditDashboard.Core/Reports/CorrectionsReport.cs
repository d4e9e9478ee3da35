using AuditDashboard.Core.ReadModels;
using AuditDashboard.Core.Search;

namespace AuditDashboard.Core.Reports;

/// <summary>
/// The corrections and four-eyes decisions recorded in a period, read from the event index (never by folding
/// accounts): corrections counted and summed by actor, by kind and by currency, the four-eyes figures, and the
/// corrections per bucket for a chart.
/// </summary>
/// <param name="EventsRead">How many index entries the report read (corrections and four-eyes events).</param>
public sealed record CorrectionsReport(
    ReportPeriod Period,
    long Corrections,
    IReadOnlyList<CorrectionGroup> ByActor,
    IReadOnlyList<CorrectionGroup> ByKind,
    IReadOnlyList<CorrectionGroup> ByCurrency,
    FourEyesFigures FourEyes,
    IReadOnlyList<CorrectionBucket> Buckets,
    long EventsRead)
{
    /// <summary>How many entries the report reads from the index at a time.</summary>
    public const int PageSize = 2_000;

    private static readonly IReadOnlyList<string> Decisions = [AccountEventTypes.CorrectionApproved, AccountEventTypes.CorrectionRejected];

    /// <summary>
    /// Reads the report of <paramref name="period"/> from <paramref name="store"/>, page by page, telling
    /// <paramref name="progress"/> how many entries it has read. It keeps the figures, not the events: one id per proposal
    /// of the period still undecided, and one duration per decision.
    /// </summary>
    public static async Task<CorrectionsReport> ReadAsync(
        IReadModelStore store, ReportPeriod period, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(period);
        var tally = new Tally(period);
        var query = new EventQuery
        {
            Types = [.. AccountEventTypes.Corrections, .. AccountEventTypes.FourEyes],
            RecordedFrom = period.From,
            RecordedTo = period.To,
            OldestFirst = true,
            Limit = PageSize,
            CountTotal = false,
        };
        await foreach (var e in ReadAllAsync(store, query, cancellationToken))
        {
            tally.Add(e);
            if (tally.EventsRead % PageSize == 0)
                progress?.Report(tally.EventsRead);
        }

        progress?.Report(tally.EventsRead);
        await tally.FindLaterDecisionsAsync(store, cancellationToken);
        await tally.FindEarlierProposalsAsync(store, cancellationToken);
        return tally.Report();
    }

    /// <summary>Every match of <paramref name="query"/>, a page at a time.</summary>
    private static async IAsyncEnumerable<IndexedEvent> ReadAllAsync(
        IReadModelStore store, EventQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var page = query; ;)
        {
            var result = await store.SearchEventsAsync(page, cancellationToken);
            foreach (var e in result.Items)
                yield return e;
            if (result.Continuation is not { } next)
                yield break;
            page = page with { After = next };
        }
    }

    /// <summary>The median of <paramref name="durations"/> (the mean of the middle two for an even count), or null for none.</summary>
    private static TimeSpan? Median(List<TimeSpan> durations)
    {
        if (durations.Count == 0)
            return null;
        durations.Sort();
        var middle = durations.Count / 2;
        return durations.Count % 2 == 1
            ? durations[middle]
            : TimeSpan.FromTicks((durations[middle - 1].Ticks + durations[middle].Ticks) / 2);
    }

    /// <summary>The figures, added up as the events go by.</summary>
    private sealed class Tally(ReportPeriod period)
    {
        private readonly Groups _byActor = new();
        private readonly Groups _byKind = new();
        private readonly Groups _byCurrency = new();
        private readonly Dictionary<DateOnly, Dictionary<string, long>> _buckets = [];
        private readonly Dictionary<Guid, DateTimeOffset> _undecided = [];
        private readonly List<EarlierDecision> _earlier = [];
        private readonly List<TimeSpan> _durations = [];
        private long _corrections;
        private long _proposed;
        private long _approved;
        private long _rejected;
        private DateTimeOffset? _first;
        private DateTimeOffset _last;

        public long EventsRead { get; private set; }

        public void Add(IndexedEvent e)
        {
            EventsRead++;
            switch (e.EventType)
            {
                case AccountEventTypes.CorrectionProposed:
                    _proposed++;
                    _undecided[e.EventId] = e.Recorded;
                    break;
                case AccountEventTypes.CorrectionApproved or AccountEventTypes.CorrectionRejected:
                    if (e.EventType == AccountEventTypes.CorrectionApproved)
                        _approved++;
                    else
                        _rejected++;
                    Decide(e);
                    break;
                default:
                    AddCorrection(e);
                    break;
            }
        }

        /// <summary>Decisions recorded after the period settle which of its proposals are still pending now.</summary>
        public async Task FindLaterDecisionsAsync(IReadModelStore store, CancellationToken cancellationToken)
        {
            if (_undecided.Count == 0 || period.To == DateTimeOffset.MaxValue)
                return;
            var later = new EventQuery { Types = Decisions, RecordedFrom = period.To.AddTicks(1), OldestFirst = true, Limit = PageSize, CountTotal = false };
            await foreach (var e in ReadAllAsync(store, later, cancellationToken))
            {
                if (ProposalOf(e) is { } proposal)
                    _undecided.Remove(proposal);
                if (_undecided.Count == 0)
                    return;
            }
        }

        /// <summary>
        /// A decision of the period whose proposal came before it is timed from that proposal, found among the proposals of
        /// its account that share its correlation id (a decision carries its proposal's).
        /// </summary>
        public async Task FindEarlierProposalsAsync(IReadModelStore store, CancellationToken cancellationToken)
        {
            foreach (var decision in _earlier)
            {
                var proposals = new EventQuery
                {
                    Types = [AccountEventTypes.CorrectionProposed],
                    AccountId = decision.AccountId,
                    CorrelationId = decision.CorrelationId,
                    RecordedTo = decision.Recorded,
                    Limit = 100,
                    CountTotal = false,
                };
                await foreach (var e in ReadAllAsync(store, proposals, cancellationToken))
                {
                    if (e.EventId == decision.ProposalId)
                    {
                        _durations.Add(decision.Recorded - e.Recorded);
                        break;
                    }
                }
            }
        }

        public CorrectionsReport Report()
        {
            var fourEyes = new FourEyesFigures(_proposed, _approved, _rejected, _undecided.Count, Median(_durations), _durations.Count);
            return new CorrectionsReport(
                period, _corrections, _byActor.ToList(), _byKind.ToList(), _byCurrency.ToList(), fourEyes, Buckets(), EventsRead);
        }

        private void Decide(IndexedEvent decision)
        {
            if (ProposalOf(decision) is not { } proposal)
                return;
            if (_undecided.Remove(proposal, out var proposed))
                _durations.Add(decision.Recorded - proposed);
            else if (decision.CorrelationId is { } correlation)
                _earlier.Add(new EarlierDecision(decision.AccountId, correlation, proposal, decision.Recorded));
        }

        private void AddCorrection(IndexedEvent e)
        {
            _corrections++;
            _byActor.Add(e.Actor ?? "", e);
            _byKind.Add(e.EventType, e);
            _byCurrency.Add(e.Amount is null ? "" : e.Currency ?? "", e);
            _first ??= e.Recorded;
            _last = e.Recorded;
            var bucket = period.BucketOf(e.Recorded);
            if (!_buckets.TryGetValue(bucket, out var kinds))
                _buckets[bucket] = kinds = new Dictionary<string, long>(StringComparer.Ordinal);
            kinds[e.EventType] = kinds.GetValueOrDefault(e.EventType) + 1;
        }

        // The whole period when it has few enough buckets, else from the first correction to the last.
        private List<CorrectionBucket> Buckets()
        {
            var starts = period.BucketsBetween(period.From, period.To)
                ?? (_first is { } first ? period.BucketsBetween(first, _last) : []) ?? [.. _buckets.Keys.Order()];
            return starts
                .Select(s => new CorrectionBucket(s, _buckets.TryGetValue(s, out var kinds) ? kinds : new Dictionary<string, long>()))
                .ToList();
        }

        // A decision's causation id is its proposal's event id.
        private static Guid? ProposalOf(IndexedEvent decision) => Guid.TryParse(decision.CausationId, out var id) ? id : null;
    }

    private sealed record EarlierDecision(string AccountId, string CorrelationId, Guid ProposalId, DateTimeOffset Recorded);

    /// <summary>Corrections counted and summed per group, amounts per currency.</summary>
    private sealed class Groups
    {
        private readonly Dictionary<string, (long Count, SortedDictionary<string, CurrencyTotal> Totals)> _groups = new(StringComparer.Ordinal);

        public void Add(string name, IndexedEvent e)
        {
            if (!_groups.TryGetValue(name, out var group))
                group = (0, new SortedDictionary<string, CurrencyTotal>(StringComparer.Ordinal));
            if (e is { Amount: { } amount, Currency: { } currency })
            {
                var total = group.Totals.GetValueOrDefault(currency) ?? new CurrencyTotal(currency, 0m, 0m);
                group.Totals[currency] = total with { Net = total.Net + amount, Gross = total.Gross + Math.Abs(amount) };
            }

            _groups[name] = (group.Count + 1, group.Totals);
        }

        /// <summary>The groups, most corrections first (then by name).</summary>
        public List<CorrectionGroup> ToList() => _groups
            .Select(g => new CorrectionGroup(g.Key, g.Value.Count, [.. g.Value.Totals.Values]))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Name, StringComparer.Ordinal)
            .ToList();
    }
}
