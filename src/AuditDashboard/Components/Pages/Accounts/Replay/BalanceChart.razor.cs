using System.Text;
using Microsoft.AspNetCore.Components.Web;

namespace AuditDashboard.Components.Pages.Accounts.Replay;

/// <summary>
/// The balance over the account's history against time, drawn from <see cref="BalanceBuckets"/> of the replay's balance
/// samples (every position of a short account, its marks on a long one), with a marker at the moment the replay shows;
/// a click moves the replay to the clicked slice. A history whose events share one moment is spread by position instead.
/// </summary>
public sealed partial class BalanceChart
{
    private const double Width = 1000;
    private const double Height = 120;
    private const int MaxBuckets = 250;
    private string _points = "";
    private ChartBucket[] _buckets = [];
    private double? _markerX;
    private decimal _min;
    private decimal _max;
    private string? _currency;
    private string _firstTime = "";
    private string _lastTime = "";
    private IReplaySource? _drawn;
    private BalanceSamples _samples = BalanceSamples.Empty;

    [Parameter, EditorRequired]
    public IReplaySource Replay { get; set; } = default!;

    [Parameter]
    public int Index { get; set; }

    /// <summary>The time of the position shown, in the replay's view; null before the account existed.</summary>
    [Parameter]
    public DateTimeOffset? Moment { get; set; }

    [Parameter]
    public EventCallback<int> IndexChanged { get; set; }

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    protected override async Task OnParametersSetAsync()
    {
        if (!ReferenceEquals(_drawn, Replay))
        {
            var replay = _drawn = Replay;
            try
            {
                var samples = await replay.BalanceAsync();

                // A newer replay may have come while this one was read: only the newest is drawn.
                if (!ReferenceEquals(_drawn, replay))
                    return;
                _samples = samples;
                Draw(samples);
            }
            catch (EventStoreUnavailableException)
            {
                // The chart keeps what it drew; the next replay (a new event, another view) tries again.
                _drawn = null;
            }
        }

        _markerX = Replay.Count == 0 || Index < 0 ? null : ByTime(_samples) && Moment is { } moment ? XOfTime(_samples, moment) : XOfPosition(_samples, Index);
    }

    // Each slice is drawn as a vertical stroke from its highest to its lowest balance, ending at its last.
    private void Draw(BalanceSamples samples)
    {
        if (samples.Positions.Count == 0)
        {
            _points = "";
            _buckets = [];
            return;
        }

        var sliced = BalanceBuckets.Of(samples.Positions.Count, i => samples.Balances[i], MaxBuckets);
        _min = sliced.Min;
        _max = sliced.Max;
        var span = _max == _min ? 1m : _max - _min;
        double Y(decimal v) => Height - 4 - (double)((v - _min) / span) * (Height - 8);
        var points = new StringBuilder();
        var byTime = ByTime(samples);
        double X(int sample) => byTime ? XOfTime(samples, samples.Times[sample]) : XOfPosition(samples, samples.Positions[sample]);
        _buckets = new ChartBucket[sliced.Buckets.Count];
        for (var b = 0; b < sliced.Buckets.Count; b++)
        {
            var bucket = sliced.Buckets[b];
            var x = X(bucket.Last);
            points.Append(Num(x)).Append(',').Append(Num(Y(bucket.High))).Append(' ');
            points.Append(Num(x)).Append(',').Append(Num(Y(bucket.Low))).Append(' ');
            points.Append(Num(x)).Append(',').Append(Num(Y(bucket.End))).Append(' ');

            // A slice's click target reaches from the slice before it, so a quiet period picks the history before it.
            var from = b == 0 ? 0 : X(sliced.Buckets[b - 1].Last);
            var to = b == sliced.Buckets.Count - 1 ? Width : x;
            _buckets[b] = new ChartBucket(from, Math.Max(to - from, 0.5), samples.Positions[bucket.Last]);
        }

        _points = points.ToString();
        _currency = samples.Currency;
        _firstTime = samples.First is { } first ? Clock.Format(first) : "";
        _lastTime = samples.Last is { } last ? Clock.Format(last) : "";
    }

    // The slice after (or before) the one holding the position shown: where the arrow keys move the replay.
    private Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        var target = e.Key switch
        {
            "ArrowRight" => _buckets.FirstOrDefault(b => b.Index > Index)?.Index,
            "ArrowLeft" => _buckets.LastOrDefault(b => b.Index < Index)?.Index,
            _ => null,
        };
        return target is { } index ? IndexChanged.InvokeAsync(index) : Task.CompletedTask;
    }

    // Time runs along the x axis unless the whole history shares one moment.
    private static bool ByTime(BalanceSamples samples) => samples.First is { } first && samples.Last is { } last && last > first;

    private static double XOfTime(BalanceSamples samples, DateTimeOffset moment)
    {
        var (first, last) = (samples.First!.Value, samples.Last!.Value);
        return Math.Clamp((moment - first) / (last - first), 0, 1) * Width;
    }

    private static double XOfPosition(BalanceSamples samples, int index) => samples.Count <= 1 ? Width / 2 : (index + 0.5) / samples.Count * Width;

    internal static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
