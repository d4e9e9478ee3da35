using System.Text;

namespace AuditDashboard.Components.Pages.Accounts.Replay;

/// <summary>
/// The balance over the account's history, drawn from <see cref="BalanceBuckets"/> of the replay's balance samples (every
/// position of a short account, its marks on a long one), with a marker at the replay's position; a click moves the
/// replay to the clicked slice.
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

    [Parameter, EditorRequired]
    public IReplaySource Replay { get; set; } = default!;

    [Parameter]
    public int Index { get; set; }

    [Parameter]
    public EventCallback<int> IndexChanged { get; set; }

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    protected override async Task OnParametersSetAsync()
    {
        _markerX = Replay.Count == 0 || Index < 0 ? null : XOf(Index);
        if (!ReferenceEquals(_drawn, Replay))
        {
            _drawn = Replay;
            Draw(await Replay.BalanceAsync());
        }
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
        var width = Width / sliced.Buckets.Count;
        _buckets = new ChartBucket[sliced.Buckets.Count];
        for (var b = 0; b < sliced.Buckets.Count; b++)
        {
            var bucket = sliced.Buckets[b];
            var x = (b + 0.5) * width;
            points.Append(Num(x)).Append(',').Append(Num(Y(bucket.High))).Append(' ');
            points.Append(Num(x)).Append(',').Append(Num(Y(bucket.Low))).Append(' ');
            points.Append(Num(x)).Append(',').Append(Num(Y(bucket.End))).Append(' ');
            _buckets[b] = new ChartBucket(b * width, width, samples.Positions[bucket.Last]);
        }

        _points = points.ToString();
        _currency = samples.Currency;
        _firstTime = samples.First is { } first ? Clock.Format(first) : "";
        _lastTime = samples.Last is { } last ? Clock.Format(last) : "";
    }

    private double XOf(int index) => Replay.Count <= 1 ? Width / 2 : (index + 0.5) / Replay.Count * Width;

    internal static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
