using System.Data.Common;
using AuditDashboard.Core.Search;

namespace AuditDashboard.Components.Pages.Search;

/// <summary>
/// A small stacked bar chart of a search's matches per day or week, split by event type or actor, counted by the
/// read-model store (the newest <see cref="EventCounts.MaxSampled"/> at most, which it then says).
/// </summary>
public sealed partial class MatchesChart(AccountDirectory directory, TimeProvider time)
{
    /// <summary>The most series a chart tells apart; the rest are summed as "Others".</summary>
    public const int MaxSeries = 6;

    /// <summary>One colour per series, readable on the light and the dark surface alike.</summary>
    private static readonly string[] SeriesColors = ["#2979ff", "#1de9b6", "#ffc400", "#ff7043", "#ab47bc", "#8d6e63"];

    private readonly StackedBarChartOptions _options = new() { ShowLegend = false, MaxNumYAxisTicks = 4, ChartPalette = SeriesColors };
    private EventPeriod _period = EventPeriod.Day;
    private EventSeries _series = EventSeries.Type;
    private EventQuery? _counted;
    private ChartData? _chart;
    private string? _error;

    /// <summary>The search whose matches are counted; null draws nothing.</summary>
    [Parameter, EditorRequired]
    public EventQuery? Query { get; set; }

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    protected override async Task OnParametersSetAsync()
    {
        if (!ReferenceEquals(Query, _counted))
            await CountAsync();
    }

    private async Task PeriodChangedAsync(EventPeriod period)
    {
        _period = period;
        await CountAsync();
    }

    private async Task SeriesChangedAsync(EventSeries series)
    {
        _series = series;
        await CountAsync();
    }

    private async Task CountAsync()
    {
        _counted = Query;
        _chart = null;
        _error = null;
        if (Query is null)
            return;
        // The store cuts days at one offset: the viewer's today (a clock change within the range moves its days by an hour).
        var offset = Clock.Zone.GetUtcOffset(time.GetUtcNow());
        try
        {
            var counts = await directory.Store.CountByPeriodAsync(Query, _period, _series, offset);
            _chart = ChartData.Of(counts, _period, _series);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
        {
            _error = ex.Message;
        }
    }

    /// <summary>What the chart draws: one label per period from the first to the last counted, one series per type or actor.</summary>
    private sealed record ChartData(string[] Labels, List<ChartSeries<double>> Series, string Caption)
    {
        public static ChartData Of(EventCounts counts, EventPeriod period, EventSeries series)
        {
            if (counts.Counts.Count == 0)
                return new ChartData([], [], "");
            var first = counts.Counts.Min(c => c.Period);
            var last = counts.Counts.Max(c => c.Period);
            var step = period == EventPeriod.Day ? 1 : 7;
            var periods = new List<DateTimeOffset>();
            for (var p = first; p <= last; p = p.AddDays(step))
                periods.Add(p);
            var index = periods.Select((p, i) => (p, i)).ToDictionary(x => x.p.UtcTicks, x => x.i);

            var ranked = counts.Counts.GroupBy(c => c.Series).OrderByDescending(g => g.Sum(c => c.Count)).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
            var shown = ranked.Take(ranked.Count > MaxSeries ? MaxSeries - 1 : MaxSeries).ToList();
            var data = shown.Select(g => (Name: g.Key.Length == 0 ? "(no actor)" : g.Key, Values: new double[periods.Count], Counts: g.AsEnumerable())).ToList();
            if (ranked.Count > shown.Count)
                data.Add(("Others", new double[periods.Count], ranked.Skip(shown.Count).SelectMany(g => g)));
            foreach (var (_, values, items) in data)
            {
                foreach (var c in items)
                    values[index[c.Period.UtcTicks]] += c.Count;
            }

            var every = (periods.Count + MaxLabels - 1) / MaxLabels;
            var labels = periods.Select((p, i) => i % every == 0 ? Label(p, period, periods.Count) : "").ToArray();
            var caption = $"{Figures.Count(counts.Sampled)} event{(counts.Sampled == 1 ? "" : "s")} per {(period == EventPeriod.Day ? "day" : "week (from Monday)")}, "
                + $"by {(series == EventSeries.Type ? "type" : "actor")}"
                + (counts.IsPartial ? $"; only the newest {Figures.Count(EventCounts.MaxSampled)} matches are counted." : ".");
            return new ChartData(labels, data.Select(d => new ChartSeries<double> { Name = d.Name, Data = d.Values }).ToList(), caption);
        }

        // Many bars leave room for a few labels only: every n-th period is named, the others left blank.
        private const int MaxLabels = 8;

        private static string Label(DateTimeOffset period, EventPeriod kind, int count) =>
            period.ToString(kind == EventPeriod.Day && count <= 14 ? "ddd d MMM" : "d MMM", CultureInfo.InvariantCulture);
    }
}
