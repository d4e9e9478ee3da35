using AuditDashboard.Components.Common;
using AuditDashboard.Core.Replay;
using AuditDashboard.Tests.Components.Replay;
using Microsoft.AspNetCore.Components;

namespace AuditDashboard.Tests.Components;

/// <summary>A browser that reports no time zone (or one this server does not know): moments are read as UTC, and the page says so.</summary>
public sealed class ReplayPanelWithoutTimeZoneTests(ReplayLedger ledger) : MudComponentTest, IClassFixture<ReplayLedger>
{
    [Theory(Timeout = 30_000)]
    [InlineData(null)]
    [InlineData("Mars/Olympus_Mons")]
    public async Task AsOf_WithoutAReportedZone_ReadsTheMomentAsUtc_AndSaysSo(string? reportedZone)
    {
        var clock = ViewerClock.For(reportedZone);
        var replay = await ledger.RecordedReplayAsync(TestContext.Current.CancellationToken);
        var moment = replay.TimeAt(4).UtcDateTime.AddMinutes(1);
        var cut = Render<CascadingValue<ViewerClock>>(p => p
            .Add(c => c.Value, clock)
            .AddChildContent<ReplayPanelHost>(h => h.Add(x => x.Replay, replay).Add(x => x.StartIndex, replay.Count - 1)));

        await cut.Find("input#as-of").ChangeAsync(moment.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));

        Assert.False(clock.IsReported);
        Assert.Contains("reported no time zone", cut.Find(".as-of-field").TextContent, StringComparison.Ordinal);
        Assert.Equal([4], cut.FindComponent<ReplayPanelHost>().Instance.Raised);
    }
}
