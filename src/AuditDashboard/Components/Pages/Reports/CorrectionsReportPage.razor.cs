using AuditDashboard.Core.ReadModels;
using AuditDashboard.Core.Reports;
using Microsoft.AspNetCore.Components;

namespace AuditDashboard.Components.Pages.Reports;

/// <summary>
/// The corrections report of a period chosen in the address (so it can be bookmarked), read from the event index once
/// the page is live; a new period cancels the reading of the previous one.
/// </summary>
public sealed partial class CorrectionsReportPage(AccountDirectory directory, NavigationManager navigation, TimeProvider time) : IDisposable
{
    private const int LabelsShown = 12;

    private readonly CancellationTokenSource _leaving = new();
    private CancellationTokenSource? _reading;
    private PeriodChoice? _choice;
    private string _preset = PeriodChoice.ThisMonth;
    private string? _fromText;
    private string? _toText;
    private string? _error;
    private CorrectionsReport? _report;
    private bool _loading;
    private bool _catchingUp;
    private long _read;
    private List<ChartSeries<double>> _series = [];
    private string[] _labels = [];
    private readonly StackedBarChartOptions _chartOptions = new() { YAxisFormat = "0", MaxNumYAxisTicks = 6, ShowZeroValues = false };

    [SupplyParameterFromQuery(Name = "period")]
    public string? Period { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? To { get; set; }

    [CascadingParameter]
    private ViewerClock Clock { get; set; } = ViewerClock.Utc;

    /// <summary>How a kind of correction is named on the page.</summary>
    public static string KindName(string eventType) => eventType switch
    {
        AccountEventTypes.TransactionReversed => "Reversal",
        AccountEventTypes.BalanceCorrected => "Balance correction",
        _ => eventType,
    };

    /// <summary>A time to a decision in words: e.g. <c>45 min</c>, <c>3 h 05 min</c>, <c>2 d 4 h</c>; a dash for none.</summary>
    public static string Duration(TimeSpan? duration) => duration switch
    {
        null => "—",
        { TotalMinutes: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{d.Seconds} s"),
        { TotalHours: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{d.Minutes} min"),
        { TotalDays: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{d.Hours} h {d.Minutes:00} min"),
        TimeSpan d => string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalDays} d {d.Hours} h"),
    };

    protected override async Task OnParametersSetAsync()
    {
        var today = DateOnly.FromDateTime(Clock.ToLocal(time.GetUtcNow()).DateTime);
        _choice = PeriodChoice.Parse(Period, From, To, today, out _error);
        _preset = _choice?.Preset ?? (string.IsNullOrWhiteSpace(From) && string.IsNullOrWhiteSpace(To) ? _preset : PeriodChoice.Custom);
        _fromText = _choice is { } c ? PeriodChoice.Text(c.From) : From;
        _toText = _choice is { } d ? PeriodChoice.Text(d.To) : To;
        _report = null;

        // Prerendering shows the page's frame; the index is read once, when the page is live.
        if (_choice is null || !RendererInfo.IsInteractive)
        {
            _loading = _choice is not null;
            return;
        }

        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        if (_choice is not { } choice)
            return;
        if (_reading is not null)
            await _reading.CancelAsync();
        _reading?.Dispose();
        _reading = CancellationTokenSource.CreateLinkedTokenSource(_leaving.Token);
        var cancellationToken = _reading.Token;

        _loading = true;
        _read = 0;
        _error = null;
        _catchingUp = !directory.IsCaughtUp;
        var progress = new Progress<long>(read =>
        {
            _read = read;
            StateHasChanged();
        });
        try
        {
            var report = await CorrectionsReport.ReadAsync(directory.Store, choice.In(Clock.Zone), progress, cancellationToken);
            _report = report;
            (_series, _labels) = Chart(report);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (ReadModelStoreUnavailableException ex)
        {
            _report = null;
            _error = $"The event index cannot be read: {ex.Message}";
        }

        _loading = false;
    }

    // Custom shows the two days to fill in; the other presets show their period at once.
    private void PresetChanged(string preset)
    {
        _preset = preset;
        if (preset != PeriodChoice.Custom)
            navigation.NavigateTo(navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { ["period"] = preset, ["from"] = null, ["to"] = null }));
    }

    private void ShowCustom() => navigation.NavigateTo(navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
    {
        ["period"] = PeriodChoice.Custom,
        ["from"] = _fromText,
        ["to"] = _toText,
    }));

    /// <summary>One stacked series per kind of correction, one bar per bucket.</summary>
    private static (List<ChartSeries<double>>, string[]) Chart(CorrectionsReport report)
    {
        var series = AccountEventTypes.Corrections
            .Select(kind => new ChartSeries<double>
            {
                Name = KindName(kind),
                Data = report.Buckets.Select(b => (double)b.CountByKind.GetValueOrDefault(kind)).ToArray(),
            })
            .ToList();
        // About a dozen labels fit under the bars; the others stay blank rather than overlap.
        var every = Math.Max(1, (report.Buckets.Count + LabelsShown - 1) / LabelsShown);
        var labels = report.Buckets.Select((b, i) => i % every != 0 ? "" : report.Period.Bucket switch
        {
            ReportBucket.Month => b.Start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            _ => b.Start.ToString("MM-dd", CultureInfo.InvariantCulture),
        }).ToArray();
        return (series, labels);
    }

    private static string BucketName(ReportBucket bucket) => bucket switch
    {
        ReportBucket.Day => "day",
        ReportBucket.Week => "week (from Monday)",
        _ => "month",
    };

    public void Dispose()
    {
        _leaving.Cancel();
        _leaving.Dispose();
        _reading?.Dispose();
    }
}
