using AuditDashboard.Core.Replay;
using AuditDashboard.Tests.Components.Replay;

namespace AuditDashboard.Tests.Components;

/// <summary>
/// The replay controls over <see cref="ReplayLedger"/>'s fifteen events (revisions 0–14), seen by a viewer in Paris,
/// inside a host that binds the position both ways as the account page does.
/// </summary>
public sealed class ReplayPanelTests(ReplayLedger ledger) : MudComponentTest, IClassFixture<ReplayLedger>
{
    private const int Last = 14;

    [Fact(Timeout = 30_000)]
    public async Task Slider_IsNamedReplayPosition_AndSpansTheAccountsRevisions()
    {
        var cut = await RenderPanelAsync(startIndex: 5, TestContext.Current.CancellationToken);

        var slider = Slider(cut);

        Assert.Equal("range", slider.GetAttribute("type"));
        Assert.Null(slider.GetAttribute("role")); // a range input is a slider to assistive technology by itself
        Assert.Equal("Replay position", slider.GetAttribute("aria-label"));
        Assert.Equal("-1", slider.GetAttribute("min")); // the first stop: before the account existed
        Assert.Equal(Last.ToString(System.Globalization.CultureInfo.InvariantCulture), slider.GetAttribute("max"));
        Assert.Equal("5", slider.GetAttribute("value"));
        Assert.Equal("revision 5 of 14", Position(cut));
    }

    [Fact(Timeout = 30_000)]
    public async Task MovingTheSlider_RaisesIndexChangedWithThatIndex_AndShowsThatRevision()
    {
        var cut = await RenderPanelAsync(startIndex: Last, TestContext.Current.CancellationToken);

        await Slider(cut).InputAsync("6");

        Assert.Equal([6], cut.Instance.Raised);
        Assert.Equal("revision 6 of 14", Position(cut));
        Assert.Equal("6", Slider(cut).GetAttribute("value"));
    }

    [Fact(Timeout = 30_000)]
    public async Task MovingTheSliderSeveralTimes_RaisesEachPositionInTurn()
    {
        var cut = await RenderPanelAsync(startIndex: 0, TestContext.Current.CancellationToken);

        await Slider(cut).InputAsync("1");
        await Slider(cut).InputAsync("9");
        await Slider(cut).InputAsync("14");

        Assert.Equal([1, 9, 14], cut.Instance.Raised);
        Assert.Equal("revision 14 of 14", Position(cut));
    }

    [Fact(Timeout = 30_000)]
    public async Task StepForwardAndStepBack_MoveByOneEvent()
    {
        var cut = await RenderPanelAsync(startIndex: 5, TestContext.Current.CancellationToken);

        await Button(cut, "Step forward").ClickAsync(new());
        await Button(cut, "Step back").ClickAsync(new());
        await Button(cut, "Step back").ClickAsync(new());

        Assert.Equal([6, 5, 4], cut.Instance.Raised);
        Assert.Equal("revision 4 of 14", Position(cut));
    }

    [Fact(Timeout = 30_000)]
    public async Task BeforeTheAccountExisted_StepBackIsDisabled_AndStepForwardIsNot()
    {
        var cut = await RenderPanelAsync(startIndex: -1, TestContext.Current.CancellationToken);

        Assert.True(Button(cut, "Step back").HasAttribute("disabled"));
        Assert.False(Button(cut, "Step forward").HasAttribute("disabled"));
    }

    [Fact(Timeout = 30_000)]
    public async Task AtTheFirstEvent_StepBackGoesToBeforeTheAccountExisted()
    {
        var cut = await RenderPanelAsync(startIndex: 0, TestContext.Current.CancellationToken);

        await Button(cut, "Step back").ClickAsync(new());

        Assert.Equal([-1], cut.Instance.Raised);
        Assert.Equal("before the account existed", Position(cut));
    }

    [Fact(Timeout = 30_000)]
    public async Task AtTheLastEvent_StepForwardIsDisabled_AndStepBackIsNot()
    {
        var cut = await RenderPanelAsync(startIndex: Last, TestContext.Current.CancellationToken);

        Assert.True(Button(cut, "Step forward").HasAttribute("disabled"));
        Assert.False(Button(cut, "Step back").HasAttribute("disabled"));
    }

    [Fact(Timeout = 30_000)]
    public async Task SteppingForwardToTheLastEvent_DisablesStepForward()
    {
        var cut = await RenderPanelAsync(startIndex: Last - 1, TestContext.Current.CancellationToken);

        await Button(cut, "Step forward").ClickAsync(new());

        Assert.Equal([Last], cut.Instance.Raised);
        Assert.True(Button(cut, "Step forward").HasAttribute("disabled"));
    }

    [Fact(Timeout = 30_000)]
    public async Task BeforeTheAccountExisted_StepBackIsDisabled_AndStepForwardGoesToTheFirstEvent()
    {
        var cut = await RenderPanelAsync(startIndex: -1, TestContext.Current.CancellationToken);
        Assert.Equal("before the account existed", Position(cut));
        Assert.True(Button(cut, "Step back").HasAttribute("disabled"));

        await Button(cut, "Step forward").ClickAsync(new());

        Assert.Equal([0], cut.Instance.Raised);
        Assert.Equal("revision 0 of 14", Position(cut));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("2026-04-02 10:30", 4)] // 08:30 UTC in summer time: after revision 4 (08:00 UTC)
    [InlineData("2026-04-02 10:00", 4)] // exactly revision 4's time: at or before includes it
    [InlineData("2026-04-02 09:59:59", 3)]
    [InlineData("2026-04-02T10:30", 4)]
    [InlineData("2026-03-28 10:00", 0)] // exactly the first event
    [InlineData("2026-03-29 01:45", 2)] // winter time, 00:45 UTC: after revision 2 (00:30 UTC)
    [InlineData("2026-03-29 03:15", 2)] // summer time, 01:15 UTC: revision 3 is at 01:30 UTC
    [InlineData("2026-03-29 03:30", 3)]
    [InlineData("2030-01-01 00:00", Last)] // after the last event
    public async Task TypingAMomentInTheViewersZone_RaisesTheIndexOfTheLastEventAtOrBeforeIt(string moment, int expected)
    {
        var cut = await RenderPanelAsync(startIndex: expected == Last ? 0 : Last, TestContext.Current.CancellationToken);

        await AsOf(cut).ChangeAsync(moment);

        Assert.Equal([expected], cut.Instance.Raised);
        Assert.Equal($"revision {expected} of 14", Position(cut));
        Assert.Null(AsOfError(cut));
    }

    [Fact(Timeout = 30_000)]
    public async Task ThePanel_SaysWhichOrderTheSliderFollows()
    {
        var cut = await RenderPanelAsync(startIndex: Last, TestContext.Current.CancellationToken);
        Assert.Equal("The slider follows the order events were recorded.", cut.Find("[data-testid='replay-order']").TextContent.Trim());

        var recorded = await ledger.RecordedReplayAsync(TestContext.Current.CancellationToken);
        var corrected = AccountReplay.Of(recorded.AccountId, [.. Enumerable.Range(0, recorded.Count).Select(recorded.EntryAt)], ReplayView.Corrected);
        cut.Render(p => p.Add(h => h.Replay, corrected));

        Assert.Contains("each correction sits where it applies", cut.Find("[data-testid='replay-order']").TextContent, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task TheTypedMoment_StaysWhileItsPositionIsShown_AndClearsOnceTheSliderMoves()
    {
        var cut = await RenderPanelAsync(startIndex: Last, TestContext.Current.CancellationToken);

        await AsOf(cut).ChangeAsync("2026-04-02 10:30");
        Assert.Equal("2026-04-02 10:30", AsOf(cut).GetAttribute("value"));

        await Slider(cut).InputAsync("7");

        Assert.Equal([4, 7], cut.Instance.Raised);
        Assert.True(string.IsNullOrEmpty(AsOf(cut).GetAttribute("value")), "the As-of field still names a moment the slider has left");

        // A moment that does not parse clears as well, message and all.
        await AsOf(cut).ChangeAsync("tomorrow-ish");
        Assert.NotNull(AsOfError(cut));
        await Slider(cut).InputAsync("8");
        Assert.Null(AsOfError(cut));
        Assert.True(string.IsNullOrEmpty(AsOf(cut).GetAttribute("value")));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("2026-10-25T02:30+02:00", 13)] // the first 02:30 in Paris: 00:30 UTC, revision 13
    [InlineData("2026-10-25T02:30+01:00", 14)] // the second 02:30, an hour later: revision 14
    [InlineData("2026-10-25T01:00:00Z", 13)]
    [InlineData("2026-04-02T06:30:00-02:00", 4)]
    public async Task TypingAMomentWithAnOffset_RaisesTheIndexOfTheLastEventAtOrBeforeThatInstant(string moment, int expected)
    {
        var cut = await RenderPanelAsync(startIndex: expected == Last ? 0 : Last, TestContext.Current.CancellationToken);

        await AsOf(cut).ChangeAsync(moment);

        Assert.Equal([expected], cut.Instance.Raised);
        Assert.Null(AsOfError(cut));
    }

    [Fact(Timeout = 30_000)]
    public async Task TypingAMomentBeforeTheFirstEvent_RaisesMinusOne_AndSaysTheAccountDidNotExistYet()
    {
        var cut = await RenderPanelAsync(startIndex: Last, TestContext.Current.CancellationToken);

        await AsOf(cut).ChangeAsync("2026-03-28 09:59");

        Assert.Equal([-1], cut.Instance.Raised);
        Assert.Equal("before the account existed", Position(cut));
        Assert.Equal("-1", Slider(cut).GetAttribute("value"));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("tomorrow-ish", "“tomorrow-ish” is not a date and time")]
    [InlineData("2026-02-30 10:00", "is not a date and time")]
    [InlineData("2026-03-29 02:30", "2026-03-29 02:30 does not exist in Europe/Paris")]
    [InlineData("2026-10-25 02:30", "2026-10-25 02:30 happened twice in Europe/Paris")]
    public async Task TypingABadMoment_ShowsWhy_AndKeepsTheLastValidPosition(string moment, string message)
    {
        var cut = await RenderPanelAsync(startIndex: Last, TestContext.Current.CancellationToken);
        await AsOf(cut).ChangeAsync("2026-04-02 10:30");
        Assert.Equal([4], cut.Instance.Raised);

        await AsOf(cut).ChangeAsync(moment);

        Assert.Contains(message, AsOfError(cut) ?? "(no message)", StringComparison.Ordinal);
        Assert.Equal([4], cut.Instance.Raised);
        Assert.Equal("revision 4 of 14", Position(cut));
        Assert.Equal("4", Slider(cut).GetAttribute("value"));
    }

    [Fact(Timeout = 30_000)]
    public async Task AnAmbiguousMoment_SuggestsBothOffsets_AndASuggestionIsAccepted()
    {
        var cut = await RenderPanelAsync(startIndex: 0, TestContext.Current.CancellationToken);
        await AsOf(cut).ChangeAsync("2026-10-25T02:30");
        var message = AsOfError(cut) ?? "(no message)";
        Assert.Contains("2026-10-25T02:30+01:00", message, StringComparison.Ordinal);
        Assert.Contains("2026-10-25T02:30+02:00", message, StringComparison.Ordinal);

        await AsOf(cut).ChangeAsync("2026-10-25T02:30+02:00");

        Assert.Null(AsOfError(cut));
        Assert.Equal([13], cut.Instance.Raised);
    }

    [Fact(Timeout = 30_000)]
    public async Task AnAmbiguousMomentTypedWithASpace_SuggestsOffsets_ThatAreThemselvesAccepted()
    {
        // The placeholder and every time on the page read "2026-11-24 15:00" (a space, no T): what a viewer copies.
        var cut = await RenderPanelAsync(startIndex: 0, TestContext.Current.CancellationToken);
        await AsOf(cut).ChangeAsync("2026-10-25 02:30");
        var message = AsOfError(cut) ?? "(no message)";
        var suggestion = "2026-10-25 02:30+02:00";
        Assert.Contains(suggestion, message, StringComparison.Ordinal);

        await AsOf(cut).ChangeAsync(suggestion);

        Assert.Null(AsOfError(cut));
        Assert.Equal([13], cut.Instance.Raised);
    }

    [Fact(Timeout = 30_000)]
    public async Task AValidMomentAfterABadOne_ClearsTheMessage_AndMoves()
    {
        var cut = await RenderPanelAsync(startIndex: Last, TestContext.Current.CancellationToken);
        await AsOf(cut).ChangeAsync("tomorrow-ish");
        Assert.NotNull(AsOfError(cut));

        await AsOf(cut).ChangeAsync("2026-03-29 03:30");

        Assert.Null(AsOfError(cut));
        Assert.Equal([3], cut.Instance.Raised);
    }

    [Fact(Timeout = 30_000)]
    public async Task Play_StepsForwardToTheLastEvent_ThenStops()
    {
        var cut = await RenderPanelAsync(startIndex: Last - 2, TestContext.Current.CancellationToken);

        await Button(cut, "Play").ClickAsync(new());

        Assert.NotNull(Button(cut, "Pause"));
        // Five events a second by default: two steps take about 0.4 s.
        await cut.WaitForAssertionAsync(() => Assert.Equal([Last - 1, Last], cut.Instance.Raised.ToArray())).WaitAsync(TestContext.Current.CancellationToken);
        await cut.WaitForAssertionAsync(() => Assert.NotNull(Button(cut, "Play"))).WaitAsync(TestContext.Current.CancellationToken);
        Assert.Equal("revision 14 of 14", Position(cut));
    }

    [Fact(Timeout = 30_000)]
    public async Task Pause_StopsPlaying()
    {
        var cut = await RenderPanelAsync(startIndex: 0, TestContext.Current.CancellationToken);
        await Button(cut, "Play").ClickAsync(new());
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.Instance.Raised.ToArray())).WaitAsync(TestContext.Current.CancellationToken);

        await Button(cut, "Pause").ClickAsync(new());
        var stoppedAt = cut.Instance.Raised.Count;
        await Task.Delay(600, TestContext.Current.CancellationToken);

        Assert.Equal(stoppedAt, cut.Instance.Raised.Count);
        Assert.NotNull(Button(cut, "Play"));
    }

    private async Task<IRenderedComponent<ReplayPanelHost>> RenderPanelAsync(int startIndex, CancellationToken cancellationToken)
    {
        var replay = await ledger.RecordedReplayAsync(cancellationToken);
        Assert.Equal(Last + 1, replay.Count);
        return Render<ReplayPanelHost>(p => p.Add(h => h.Replay, replay).Add(h => h.StartIndex, startIndex));
    }

    private static IElement Slider(IRenderedComponent<ReplayPanelHost> cut) => cut.Find("input[type=range][data-testid='replay-slider']");

    private static IElement AsOf(IRenderedComponent<ReplayPanelHost> cut) => cut.Find("input#as-of");

    private static IElement Button(IRenderedComponent<ReplayPanelHost> cut, string label) => cut.Find($"button[aria-label='{label}']");

    private static string Position(IRenderedComponent<ReplayPanelHost> cut) => cut.Find("[data-testid='replay-position']").TextContent.Trim();

    /// <summary>The message under the "As of" field, or null when it shows none.</summary>
    private static string? AsOfError(IRenderedComponent<ReplayPanelHost> cut) =>
        cut.Find(".as-of-field").QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() is { Length: > 0 } text ? text : null;
}
