using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Browser;

/// <summary>
/// The account page as a workbench on a desktop screen: at 1440 × 900 and at 1280 × 720 the account fits the window
/// (no page scroll), the slider, the timeline and the inspector are all in view, the selected event's row is scrolled
/// into the timeline's view, and no cell of the timeline is cut off (each fits its column, wrapping if it must, or
/// carries its whole text as a tooltip).
/// </summary>
[Collection(BrowserSuite.Name)]
public sealed class WorkbenchTests(AppProcess app, BrowserFixture browser, ITestOutputHelper output) : BrowserTest(app, browser, output)
{
    /// <summary>A demo account with a possible duplicate (its rows carry the most chips); browser tests may reverse it, which adds more.</summary>
    private const string Account = "ACC-100016";

    [Theory(Timeout = 120_000)]
    [InlineData(1440, 900)]
    [InlineData(1280, 720)]
    public async Task TheAccount_FitsTheWindow_WithTheSliderTimelineAndInspectorInView_AndNoCellCutOff(int width, int height)
    {
        var cancellation = TestContext.Current.CancellationToken;
        await Page.SetViewportSizeAsync(width, height);
        await SignInAsync("sam", $"/accounts/{Account}?revision=1", cancellation);
        await WaitForInteractiveAsync(cancellation);
        await Expect(Page.Locator("[data-testid=timeline] tbody [data-revision]").First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 15_000 });
        await Page.WaitForTimeoutAsync(300); // the fonts and the last layout

        var measured = await Page.EvaluateAsync<JsonElement>("""
            () => {
                const box = s => { const r = document.querySelector(s).getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height }; };
                const rows = document.querySelector('[data-testid=timeline] .mud-table-container');
                const cut = [...document.querySelectorAll('[data-testid=timeline] tbody td')]
                    .filter(td => td.scrollWidth > td.clientWidth + 1 && !td.title && !td.querySelector('[title]'))
                    .map(td => `${td.getAttribute('data-label')}: ${td.textContent.trim().slice(0, 40)} (${td.scrollWidth} > ${td.clientWidth})`);
                return {
                    page: document.documentElement.scrollHeight, window: innerHeight, windowWidth: innerWidth,
                    slider: box('[data-testid=replay-panel] .mud-slider'), timeline: box('[data-testid=timeline]'),
                    rows: { height: rows.clientHeight, overflowX: rows.scrollWidth - rows.clientWidth },
                    inspector: box('[data-testid=inspector]'), state: box('[data-testid=state-card]'), cut,
                    selected: box('[data-testid=timeline] tr.selected-row'), rowsBox: box('[data-testid=timeline] .mud-table-container'),
                };
            }
            """);
        Output.WriteLine($"{width} × {height}: {measured}");

        Assert.True(measured.GetProperty("page").GetDouble() <= height, $"the page scrolls: {measured.GetProperty("page")} px in a {height} px window");
        foreach (var pane in new[] { "slider", "timeline", "inspector", "state" })
        {
            var box = measured.GetProperty(pane);
            Assert.True(box.GetProperty("top").GetDouble() >= 0 && box.GetProperty("bottom").GetDouble() <= height + 0.5, $"the {pane} is not wholly in view: {box}");
            Assert.True(box.GetProperty("right").GetDouble() <= width + 0.5, $"the {pane} reaches past the window's right edge: {box}");
        }

        Assert.True(measured.GetProperty("rows").GetProperty("height").GetDouble() >= 150, $"the timeline shows too little of its rows: {measured.GetProperty("rows")}");
        Assert.True(measured.GetProperty("rows").GetProperty("overflowX").GetDouble() <= 1, $"the timeline's columns are wider than its pane: {measured.GetProperty("rows")}");
        Assert.Empty(measured.GetProperty("cut").EnumerateArray().Select(c => c.GetString()));

        // Opened at revision 1, near the end of its page (newest first): its row is scrolled into the pane's view.
        var (selected, rowsBox) = (measured.GetProperty("selected"), measured.GetProperty("rowsBox"));
        Assert.True(selected.GetProperty("top").GetDouble() >= rowsBox.GetProperty("top").GetDouble() && selected.GetProperty("bottom").GetDouble() <= rowsBox.GetProperty("bottom").GetDouble() + 0.5,
            $"the selected row {selected} is outside the timeline's view {rowsBox}");
        Output.WriteLine($"Screenshot: {await SaveScreenshotAsync($"workbench-{width}x{height}")}");
    }

    /// <summary>
    /// The splitter between the timeline and the inspector: dragged to the left, the inspector widens; the width is kept
    /// across a reload; focused, the right arrow key narrows it; it never takes more than half the panes.
    /// </summary>
    [Fact(Timeout = 120_000)]
    public async Task TheSplitter_ResizesTheInspector_ByMouseOrKeyboard_AndTheWidthIsKept()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await Page.SetViewportSizeAsync(1440, 900);
        await SignInAsync("sam", $"/accounts/{Account}", cancellation);
        await WaitForInteractiveAsync(cancellation);
        var splitter = Page.Locator("[data-testid=inspector-splitter]");
        var inspector = Page.Locator("[data-testid=inspector]");
        await Expect(splitter).ToBeVisibleAsync();
        var before = (await inspector.BoundingBoxAsync())!.Width;
        var grip = (await splitter.BoundingBoxAsync())!;

        await Page.Mouse.MoveAsync(grip.X + grip.Width / 2, grip.Y + grip.Height / 2);
        await Page.Mouse.DownAsync();
        await Page.Mouse.MoveAsync(grip.X + grip.Width / 2 - 120, grip.Y + grip.Height / 2, new MouseMoveOptions { Steps = 6 });
        await Page.Mouse.UpAsync();
        var dragged = (await inspector.BoundingBoxAsync())!.Width;
        Assert.InRange(dragged - before, 110, 130);

        await Page.ReloadAsync();
        await WaitForInteractiveAsync(cancellation);
        await Expect(inspector).ToBeVisibleAsync();
        Assert.InRange((await inspector.BoundingBoxAsync())!.Width, dragged - 1, dragged + 1);

        await splitter.FocusAsync();
        await Page.Keyboard.PressAsync("ArrowRight");
        Assert.InRange((await inspector.BoundingBoxAsync())!.Width, dragged - 17, dragged - 15);
        await Expect(splitter).ToHaveAttributeAsync("aria-valuenow", new System.Text.RegularExpressions.Regex(@"^\d+$"));

        // Home makes it the narrowest (280 px), without moving the replay as Home does elsewhere on the page.
        var position = await Page.Locator("[data-testid=replay-position]").TextContentAsync();
        await Page.Keyboard.PressAsync("Home");
        Assert.InRange((await inspector.BoundingBoxAsync())!.Width, 279, 281);
        await Expect(Page.Locator("[data-testid=replay-position]")).ToHaveTextAsync(position!);

        // Dragged far to the left, the inspector stops at half the panes: the timeline keeps the other half.
        grip = (await splitter.BoundingBoxAsync())!;
        await Page.Mouse.MoveAsync(grip.X + grip.Width / 2, grip.Y + grip.Height / 2);
        await Page.Mouse.DownAsync();
        await Page.Mouse.MoveAsync(100, grip.Y + grip.Height / 2, new MouseMoveOptions { Steps = 6 });
        await Page.Mouse.UpAsync();
        var widest = (await inspector.BoundingBoxAsync())!.Width;
        var timeline = (await Page.Locator(".wb-main").BoundingBoxAsync())!.Width;
        Assert.True(widest <= timeline + 13, $"the inspector ({widest} px) took more than the timeline ({timeline} px)");
        await Page.EvaluateAsync("() => localStorage.removeItem('auditDashboard.inspectorWidth')");
    }
}
