using System.Text;

namespace AuditDashboard.Components.Pages.Accounts.Replay;

/// <summary>
/// The balance over the account's history, drawn from <see cref="BalanceBuckets"/>, with a marker at the replay's
/// position; a click moves the replay to the clicked slice.
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
    private AccountReplay? _drawn;

    [Parameter, EditorRequired]
    public AccountReplay Replay { get; set; } = default!;

    [Parameter]
    public int Index { get; set; }

    [Parameter]
    public EventCallback<int> IndexChanged { get; set; }

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_drawn, Replay))
            Draw();
        _markerX = Replay.Count == 0 || Index < 0 ? null : XOf(Index);
    }

    // Each slice is drawn as a vertical stroke from its highest to its lowest balance, ending at its last.
    private void Draw()
    {
        _drawn = Replay;
        var count = Replay.Count;
        if (count == 0)
        {
            _points = "";
            _buckets = [];
            return;
        }

        var sliced = BalanceBuckets.Of(count, i => Replay.At(i).State.Balance, MaxBuckets);
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
            _buckets[b] = new ChartBucket(b * width, width, bucket.Last);
        }

        _points = points.ToString();
        _currency = Replay.Latest.State.Currency;
        _firstTime = Clock.Format(Replay.TimeAt(0));
        _lastTime = Clock.Format(Replay.TimeAt(count - 1));
    }

    private double XOf(int index) => Replay.Count <= 1 ? Width / 2 : (index + 0.5) / Replay.Count * Width;

    internal static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
