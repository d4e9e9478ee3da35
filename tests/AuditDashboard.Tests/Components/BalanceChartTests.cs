using System.Globalization;
using Microsoft.AspNetCore.Components.Web;
using AuditDashboard.Components.Pages.Accounts.Replay;
using AuditDashboard.Core.Replay;
using AuditDashboard.Tests.Components.Replay;

namespace AuditDashboard.Tests.Components;

/// <summary>
/// The balance chart over <see cref="ReplayLedger"/>'s account, whose events are hours or months apart: time runs along
/// its x axis, so the marker sits at the moment shown and a click in a quiet month picks the event that ended it.
/// </summary>
public sealed class BalanceChartTests(ReplayLedger ledger) : MudComponentTest, IClassFixture<ReplayLedger>
{
    private const double Width = 1000;

    [Fact(Timeout = 30_000)]
    public async Task TheMarker_SitsAtTheMomentShown_OnATimeAxis()
    {
        var replay = await ledger.RecordedReplayAsync(TestContext.Current.CancellationToken);
        var shown = ReplayLedger.History[6].Recorded;

        var cut = Render<BalanceChart>(p => p.Add(c => c.Replay, replay).Add(c => c.Index, 6).Add(c => c.Moment, shown));

        var marker = cut.Find("[data-testid='chart-marker']");
        Assert.Equal(X(shown), double.Parse(marker.GetAttribute("x1")!, CultureInfo.InvariantCulture), precision: 1);

        // By position the seventh of fifteen events would sit near the middle; by time it is early April of March–October.
        Assert.InRange(X(shown), 50, 100);
    }

    [Fact(Timeout = 30_000)]
    public async Task AClickInAQuietMonth_PicksTheEventThatEndedIt()
    {
        var replay = await ledger.RecordedReplayAsync(TestContext.Current.CancellationToken);
        var picked = new List<int>();
        var cut = Render<BalanceChart>(p => p.Add(c => c.Replay, replay).Add(c => c.Index, 0).Add(c => c.Moment, ReplayLedger.History[0].Recorded)
            .Add(c => c.IndexChanged, i => picked.Add(i)));

        // Mid-June: nothing happened between the deposit of 1 June (revision 9) and the fee of 1 July (revision 10).
        var midJune = X(new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.Zero));
        var target = cut.FindAll("rect.chart-hit").Single(r => Attr(r, "x") <= midJune && midJune < Attr(r, "x") + Attr(r, "width"));
        await target.ClickAsync(new());

        Assert.Equal([10], picked);
    }

    [Fact(Timeout = 30_000)]
    public async Task FocusedTheArrowKeys_MoveTheReplayToTheNextOrPreviousSlice_OtherKeysDoNothing()
    {
        var replay = await ledger.RecordedReplayAsync(TestContext.Current.CancellationToken);
        var picked = new List<int>();
        var cut = Render<BalanceChart>(p => p.Add(c => c.Replay, replay).Add(c => c.Index, 6).Add(c => c.Moment, ReplayLedger.History[6].Recorded)
            .Add(c => c.IndexChanged, i => picked.Add(i)));
        var keys = cut.Find("[data-testid='chart-keys']");
        Assert.Equal("0", keys.GetAttribute("tabindex"));

        await keys.KeyDownAsync(new KeyboardEventArgs { Key = "ArrowRight" });
        await keys.KeyDownAsync(new KeyboardEventArgs { Key = "ArrowLeft" });
        await keys.KeyDownAsync(new KeyboardEventArgs { Key = "Enter" });

        Assert.Equal([7, 5], picked);
    }

    private static double X(DateTimeOffset moment)
    {
        var (first, last) = (ReplayLedger.History[0].Recorded, ReplayLedger.History[^1].Recorded);
        return (moment - first) / (last - first) * Width;
    }

    private static double Attr(IElement element, string name) => double.Parse(element.GetAttribute(name)!, CultureInfo.InvariantCulture);
}
