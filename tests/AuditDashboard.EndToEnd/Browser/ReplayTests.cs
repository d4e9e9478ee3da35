using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AuditDashboard.Adapters.Embedded;
using static Microsoft.Playwright.Assertions;

namespace AuditDashboard.EndToEnd.Browser;

/// <summary>
/// Time travel on the account page, in a browser whose time zone is Europe/Paris (see <see cref="BrowserFixture"/>):
/// the replay slider moved with keys and by dragging, an "as of" time typed in, and, on an account of 100,000 events,
/// how long one slider step takes to show.
/// </summary>
[Collection(BrowserSuite.Name)]
public sealed class ReplayTests(AppProcess app, BrowserFixture browser, ITestOutputHelper output) : BrowserTest(app, browser, output)
{
    /// <summary>A demo account that no other browser test writes to.</summary>
    private const string DemoAccount = "ACC-100010";

    /// <summary>Written by the speed test alone. It sorts before the demo accounts, so tests that pick the last listed account never meet it.</summary>
    private const string VolumeAccount = "ACC-000001";

    private const int VolumeEvents = 100_000;
    private const int VolumeBatch = 1_000;
    private const int VolumeStart = 50_000;
    private const int TimedSteps = 20;

    /// <summary>
    /// Delays what the page's circuit sends by 100 ms and what it receives by 200 ms, in order, as a distant network
    /// would: Blazor's messages go over a WebSocket whose <c>send</c> and <c>onmessage</c> this wraps.
    /// </summary>
    private const string SlowWebSocketScript = """
        (() => {
          const send = WebSocket.prototype.send;
          WebSocket.prototype.send = function (data) { setTimeout(() => send.call(this, data), 100); };
          const onmessage = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
          Object.defineProperty(WebSocket.prototype, 'onmessage', {
            configurable: true,
            get() { return onmessage.get.call(this); },
            set(handler) { onmessage.set.call(this, handler && (e => setTimeout(() => handler.call(this, e), 200))); },
          });
        })();
        """;

    /// <summary>The viewer's zone: the browser context's, which the page reports to the server in its <c>tz</c> cookie.</summary>
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    /// <summary>For a change the page shows within a second when it works: a failure then costs seconds, not the default wait.</summary>
    private static readonly LocatorAssertionsToHaveTextOptions Soon = new() { Timeout = 5_000 };

    private ILocator Slider => Page.GetByRole(AriaRole.Slider, new PageGetByRoleOptions { Name = "Replay position" });

    /// <summary>A demo account no other browser test opens: this test reverses its first deposit.</summary>
    private const string CorrectedAccount = "ACC-100021";

    /// <summary>
    /// Issue 17, item 1: with an early deposit reversed, switching to "as corrected" at the latest position stays at the
    /// latest moment (the thumb at the end, the latest balance: the reversal sits early, where it takes effect), the
    /// card says which order the slider follows, and switching back is still the latest.
    /// </summary>
    [Fact(Timeout = 120_000)]
    public async Task AsCorrected_AtTheLatestPosition_StaysTheLatest_AndSaysWhichOrderTheSliderFollows()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var operatorApi = App.CreateApiClient();
        using var supportApi = App.CreateApiClient(AppCommand.SupportApiKey);
        using var events = JsonDocument.Parse(await operatorApi.GetStringAsync($"api/accounts/{CorrectedAccount}/events?count=500", cancellation));
        var list = events.RootElement.GetProperty("events").EnumerateArray().ToList();
        var deposit = list.First(e => e.GetProperty("eventType").GetString() == "FundsDeposited");
        var last = list[^1].GetProperty("revision").GetInt64();
        if (list.All(e => e.GetProperty("eventType").GetString() != "TransactionReversed"))
        {
            using var posted = await supportApi.PostAsJsonAsync($"api/accounts/{CorrectedAccount}/corrections", new
            {
                kind = "reversal",
                eventId = deposit.GetProperty("eventId").GetGuid(),
                reason = "Deposit posted to the wrong account (end-to-end test)",
                expectedRevision = last,
                commandId = Guid.NewGuid(),
            }, cancellation);
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            last++;
        }

        var latest = await operatorApi.GetFromJsonAsync<ApiAccount>($"api/accounts/{CorrectedAccount}", cancellation);
        var balance = Currencies.Format(latest!.Balance, latest.Currency);
        await SignInAsync("olivia", $"/accounts/{CorrectedAccount}", cancellation);
        await WaitForInteractiveAsync(cancellation);
        var position = Page.Locator("[data-testid=replay-position]");
        await Expect(position).ToHaveTextAsync($"revision {last} of {last}", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        await Expect(Page.Locator("[data-testid=replay-order]")).ToHaveTextAsync("The slider follows the order events were recorded.");

        await RetryUntilAsync("the corrected view", async () =>
        {
            await Page.GetByRole(AriaRole.Radio, new PageGetByRoleOptions { Name = "As corrected" }).ClickAsync(new LocatorClickOptions { Timeout = 3_000 });
            await Expect(Page.Locator("[data-testid=replay-order]")).ToContainTextAsync("when events take effect", new LocatorAssertionsToContainTextOptions { Timeout = 3_000 });
        }, cancellation);

        // The reversal moved back to the deposit's time: the last position holds the last event recorded before it.
        await Expect(position).ToHaveTextAsync($"revision {last - 1} of {last}");
        await Expect(Page.Locator("[data-testid=balance]")).ToHaveTextAsync(balance);
        await Expect(Slider).ToHaveValueAsync(await Slider.GetAttributeAsync("max") ?? "(no max)");

        await Page.GetByRole(AriaRole.Radio, new PageGetByRoleOptions { Name = "As recorded" }).ClickAsync();
        await Expect(position).ToHaveTextAsync($"revision {last} of {last}");
        await Expect(Page.Locator("[data-testid=balance]")).ToHaveTextAsync(balance);
    }

    private ILocator Position => Page.Locator("[data-testid=replay-position]");

    private ILocator Balance => Page.Locator("[data-testid=balance]");

    private ILocator Caption => Page.Locator("[data-testid=state-caption]");

    [Fact(Timeout = 120_000)]
    public async Task ArrowKeysHomeAndEnd_MoveTheReplay_AndTheAddressFollows()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var history = await HistoryAsync(DemoAccount, cancellation);
        var last = history.LastRevision;
        await OpenAsync(DemoAccount, "?revision=3", cancellation);

        await Expect(Position).ToHaveTextAsync(PositionText(3, last));
        await Expect(Balance).ToHaveTextAsync(history.BalanceAfter(3));
        await Expect(Caption).ToHaveTextAsync($"State after revision 3 · {InParis(history.Events[3].Recorded)}");

        await PressOnSliderAsync("ArrowRight", PositionText(3, last), PositionText(4, last), cancellation);

        await Expect(Balance).ToHaveTextAsync(history.BalanceAfter(4));
        await Expect(Caption).ToHaveTextAsync($"State after revision 4 · {InParis(history.Events[4].Recorded)}");
        await Expect(Page.Locator("[data-testid=timeline] tr.selected-row [data-revision='4']")).ToHaveCountAsync(1);
        await Expect(Page).ToHaveURLAsync(RevisionInAddress(4));

        // The keys keep going to the slider: the address changing under it must not take the focus away.
        await Page.Keyboard.PressAsync("End");
        await Expect(Position).ToHaveTextAsync(PositionText(last, last));
        await Expect(Caption).ToHaveTextAsync($"Latest state · after revision {Count(last)}");
        await Expect(Balance).ToHaveTextAsync(history.BalanceAfter(last));
        await Expect(Page).ToHaveURLAsync(RevisionInAddress(last));

        // Home is the slider's first stop: the account before its first event.
        await Page.Keyboard.PressAsync("Home");
        await Expect(Position).ToHaveTextAsync("before the account existed");
        await Expect(Caption).ToHaveTextAsync("Before the account existed");
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"[?&]revision=-1$"));

        await Page.Keyboard.PressAsync("ArrowRight");
        await Expect(Position).ToHaveTextAsync(PositionText(0, last));
        await Expect(Balance).ToHaveTextAsync(history.BalanceAfter(0));
        await Expect(Caption).ToHaveTextAsync($"State after revision 0 · {InParis(history.Events[0].Recorded)}");
        await Expect(Page).ToHaveURLAsync(RevisionInAddress(0));
    }

    [Fact(Timeout = 120_000)]
    public async Task DraggingTheSliderToTheMiddle_ShowsTheStateTheApiReportsForThatRevision()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var history = await HistoryAsync(DemoAccount, cancellation);
        var last = history.LastRevision;
        await OpenAsync(DemoAccount, "?revision=0", cancellation);
        await Expect(Position).ToHaveTextAsync(PositionText(0, last));

        // A drag that reached the page before its circuit did is lost: drag again until the position moves.
        await RetryUntilAsync("the slider to move when dragged", async () =>
        {
            if ((await Position.TextContentAsync())?.Trim() == PositionText(0, last))
                await DragSliderAsync(fromFraction: 0, toFraction: 0.5);
            await Expect(Position).Not.ToHaveTextAsync(PositionText(0, last), new LocatorAssertionsToHaveTextOptions { Timeout = 3_000 });
        }, cancellation);
        var revision = await SettledRevisionAsync(cancellation);

        Assert.InRange(revision, last / 4, last * 3 / 4);
        var state = await StateAsync(DemoAccount, revision, cancellation);
        Assert.Equal(revision, state.Revision);
        await Expect(Position).ToHaveTextAsync(PositionText(revision, last));
        await Expect(Balance).ToHaveTextAsync(Currencies.Format(state.State.Balance, state.State.Currency));
        await Expect(Page.Locator("[data-testid=revision]")).ToHaveTextAsync(Count(revision));
        await Expect(Caption).ToHaveTextAsync($"State after revision {Count(revision)} · {InParis(state.RecordedAt ?? default)}");
    }

    [Fact(Timeout = 120_000)]
    public async Task TypingAnAsOfTime_MovesToTheLastEventBeforeIt_AndABadTimeLeavesThePositionAlone()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var history = await HistoryAsync(DemoAccount, cancellation);
        var last = history.LastRevision;
        var (revision, moment) = MomentBetweenTwoEvents(history, notAt: 3);
        await OpenAsync(DemoAccount, "?revision=3", cancellation);
        Assert.Equal("Europe/Paris", await Page.EvaluateAsync<string>("() => Intl.DateTimeFormat().resolvedOptions().timeZone"));
        var asOf = Page.GetByLabel("As of");
        Output.WriteLine($"As of {moment} (Europe/Paris): expecting revision {revision}, recorded {InParis(history.Events[revision].Recorded)}, the next at {InParis(history.Events[revision + 1].Recorded)}.");

        await RetryUntilAsync("the as-of time to apply", async () =>
        {
            if ((await Position.TextContentAsync())?.Trim() == PositionText(3, last))
            {
                await asOf.FillAsync(moment);
                await asOf.PressAsync("Enter");
            }

            await Expect(Position).ToHaveTextAsync(PositionText(revision, last), new LocatorAssertionsToHaveTextOptions { Timeout = 3_000 });
        }, cancellation);

        await Expect(Balance).ToHaveTextAsync(history.BalanceAfter(revision));
        await Expect(Caption).ToHaveTextAsync($"State after revision {Count(revision)} · {InParis(history.Events[revision].Recorded)}");
        await Expect(Page).ToHaveURLAsync(RevisionInAddress(revision));

        await asOf.FillAsync("tomorrow-ish");
        await asOf.PressAsync("Enter");

        var message = Page.Locator(".as-of-field .mud-input-helper-text.mud-input-error");
        await Expect(message).ToContainTextAsync("“tomorrow-ish” is not a date and time");
        await Expect(Position).ToHaveTextAsync(PositionText(revision, last));
        await Expect(Balance).ToHaveTextAsync(history.BalanceAfter(revision));

        // A wall-clock time the clocks skipped in the browser's zone: the server read it in that zone.
        await asOf.FillAsync("2026-03-29 02:30");
        await asOf.PressAsync("Enter");

        await Expect(message).ToContainTextAsync("2026-03-29 02:30 does not exist in Europe/Paris");
        await Expect(Position).ToHaveTextAsync(PositionText(revision, last));
        await Expect(Page).ToHaveURLAsync(RevisionInAddress(revision));
    }

    [Fact(Timeout = 120_000)]
    public async Task FromBeforeTheAccountExisted_ArrowRight_GoesToTheFirstEvent()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var history = await HistoryAsync(DemoAccount, cancellation);
        var last = history.LastRevision;
        await OpenAsync(DemoAccount, "?revision=3", cancellation);
        var asOf = Page.GetByLabel("As of");
        await RetryUntilAsync("the as-of time to apply", async () =>
        {
            if ((await Position.TextContentAsync())?.Trim() == PositionText(3, last))
            {
                await asOf.FillAsync("2000-01-01 00:00");
                await asOf.PressAsync("Enter");
            }

            await Expect(Position).ToHaveTextAsync("before the account existed", new LocatorAssertionsToHaveTextOptions { Timeout = 3_000 });
        }, cancellation);
        await Expect(Caption).ToHaveTextAsync("Before the account existed");

        await Slider.PressAsync("ArrowRight");

        await Expect(Position).ToHaveTextAsync(PositionText(0, last), Soon);
        await Expect(Caption).ToHaveTextAsync($"State after revision 0 · {InParis(history.Events[0].Recorded)}");
    }

    /// <summary>
    /// The address follows the slider 300 ms after it stops, and the new address comes back to the page as a new
    /// <c>?revision=</c>. Over a slow connection (here 100 ms up, 200 ms down) a step taken while that round trip is
    /// under way must not be undone by the address the page itself wrote before the step.
    /// </summary>
    [Fact(Timeout = 120_000)]
    public async Task ASecondStepTakenWhileTheAddressCatchesUp_IsNotUndone_OnASlowConnection()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var history = await HistoryAsync(DemoAccount, cancellation);
        var last = history.LastRevision;
        await Page.Context.AddInitScriptAsync(SlowWebSocketScript);
        await OpenAsync(DemoAccount, "?revision=3", cancellation);
        await PressOnSliderAsync("ArrowRight", PositionText(3, last), PositionText(4, last), cancellation);

        // 100 ms after revision 4 shows, the server's 300 ms address timer has fired; its address is still on its way.
        await Task.Delay(100, cancellation);
        await Page.Keyboard.PressAsync("ArrowRight");

        await Expect(Position).ToHaveTextAsync(PositionText(5, last), Soon);
        await Expect(Page).ToHaveURLAsync(RevisionInAddress(5), new PageAssertionsToHaveURLOptions { Timeout = 5_000 });
        await Task.Delay(1_000, cancellation);
        await Expect(Position).ToHaveTextAsync(PositionText(5, last), new LocatorAssertionsToHaveTextOptions { Timeout = 1 });
        await Expect(Balance).ToHaveTextAsync(history.BalanceAfter(5));
    }

    /// <summary>
    /// The dialog provider closes every dialog when the address changes, and the address follows a step of the slider
    /// 300 ms later: a dialog opened in those 300 ms must stay open, and the address must still follow the step.
    /// </summary>
    [Fact(Timeout = 120_000)]
    public async Task ADialogOpenedRightAfterASliderStep_StaysOpen_AndTheAddressStillFollowsTheStep()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var history = await HistoryAsync(DemoAccount, cancellation);
        var last = history.LastRevision;
        await OpenAsync(DemoAccount, "?revision=3", cancellation, user: "carla");
        await PressOnSliderAsync("ArrowRight", PositionText(3, last), PositionText(4, last), cancellation);

        await Page.Locator("[data-testid=export-open]").ClickAsync();
        var dialog = Page.Locator("[data-testid=export-dialog]");
        await Expect(dialog).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 5_000 });
        await Expect(Page).ToHaveURLAsync(RevisionInAddress(4), new PageAssertionsToHaveURLOptions { Timeout = 5_000 });

        // Well past the address timer: the dialog is still there, and typing into it works.
        await Task.Delay(1_000, cancellation);
        await Expect(dialog).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 1 });
        await Expect(Page.Locator("[data-testid=export-count]")).ToContainTextAsync("events in this range");
        await Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(Position).ToHaveTextAsync(PositionText(4, last));
    }

    /// <summary>
    /// Reports, not tests, how long one slider step takes to show on a long history: the issue asks for the figure
    /// (under 50 ms is the goal); the assertion is only a sanity bound that catches a page that stopped responding.
    /// </summary>
    [Fact(Timeout = 180_000)]
    public async Task OnAnAccountOfAHundredThousandEvents_ASliderStep_ShowsPromptly_AndItsTimeIsReported()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var stopwatch = Stopwatch.StartNew();
        await AppendVolumeAccountAsync(cancellation);
        var appended = stopwatch.Elapsed;
        await WaitUntilTheAppShowsAsync(VolumeAccount, VolumeEvents - 1, cancellation);
        var caughtUp = stopwatch.Elapsed;
        await OpenAsync(VolumeAccount, $"?revision={VolumeStart}", cancellation);
        await Expect(Position).ToHaveTextAsync(PositionText(VolumeStart, VolumeEvents - 1));
        await PressOnSliderAsync("ArrowRight", PositionText(VolumeStart, VolumeEvents - 1), PositionText(VolumeStart + 1, VolumeEvents - 1), cancellation);
        var pageReady = stopwatch.Elapsed;

        var samples = await TimeSliderStepsAsync(TimedSteps, cancellation);

        await Expect(Position).ToHaveTextAsync(PositionText(VolumeStart + 1 + TimedSteps, VolumeEvents - 1));
        Array.Sort(samples);
        var median = samples.Length % 2 == 1 ? samples[samples.Length / 2] : (samples[(samples.Length / 2) - 1] + samples[samples.Length / 2]) / 2;
        var figure = string.Create(
            CultureInfo.InvariantCulture,
            $"Slider step on {VolumeEvents:N0} events, keydown ArrowRight to the position's DOM update, {samples.Length} steps: median {median:F1} ms, max {samples[^1]:F1} ms, min {samples[0]:F1} ms (goal: under 50 ms).");
        var phases = string.Create(
            CultureInfo.InvariantCulture,
            $"Appending {VolumeEvents:N0} events {appended.TotalSeconds:F1} s, app caught up at {caughtUp.TotalSeconds:F1} s, page interactive at {pageReady.TotalSeconds:F1} s.");
        Output.WriteLine(figure);
        Output.WriteLine(phases);
        Output.WriteLine("Samples (ms): " + string.Join(", ", samples.Select(s => s.ToString("F1", CultureInfo.InvariantCulture))));
        Console.WriteLine(figure);
        Console.WriteLine(phases);
        Assert.True(median < 1_000, figure);
    }

    /// <summary>Signs in on the way to the account page and waits for its circuit, so keys and clicks reach it.</summary>
    private async Task OpenAsync(string accountId, string query, CancellationToken cancellationToken, string user = "olivia")
    {
        await SignInAsync(user, $"/accounts/{accountId}{query}", cancellationToken);
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/accounts/" + accountId).WaitAsync(cancellationToken);
        await WaitForInteractiveAsync(cancellationToken);
        await Expect(Slider).ToBeVisibleAsync();
    }

    /// <summary>
    /// Presses <paramref name="key"/> on the slider until the position reads <paramref name="after"/>. A key that reached
    /// the prerendered page before its circuit is lost, so it is pressed again only while the position still reads
    /// <paramref name="before"/>.
    /// </summary>
    private async Task PressOnSliderAsync(string key, string before, string after, CancellationToken cancellationToken) =>
        await RetryUntilAsync($"{key} on the slider to move from “{before}” to “{after}”", async () =>
        {
            if ((await Position.TextContentAsync())?.Trim() == before)
                await Slider.PressAsync(key, new LocatorPressOptions { Timeout = 5_000 });
            await Expect(Position).ToHaveTextAsync(after, new LocatorAssertionsToHaveTextOptions { Timeout = 3_000 });
        }, cancellationToken);

    /// <summary>Presses the mouse on the slider's thumb at <paramref name="fromFraction"/> of its track and releases it at <paramref name="toFraction"/>.</summary>
    private async Task DragSliderAsync(double fromFraction, double toFraction)
    {
        var box = await Slider.BoundingBoxAsync() ?? throw new InvalidOperationException("The replay slider has no box: it is not displayed.");

        // The thumb's centre sits half a thumb in from either end of the input.
        const double halfThumb = 8;
        double At(double fraction) => box.X + halfThumb + (fraction * (box.Width - (2 * halfThumb)));
        var y = box.Y + (box.Height / 2);
        await Page.Mouse.MoveAsync((float)At(fromFraction), (float)y);
        await Page.Mouse.DownAsync();
        await Page.Mouse.MoveAsync((float)At(toFraction), (float)y, new MouseMoveOptions { Steps = 12 });
        await Page.Mouse.UpAsync();
    }

    /// <summary>
    /// The revision the page settles on after a drag: the position text, the slider's value and the address agree on
    /// it (the address follows the slider a moment after it stops).
    /// </summary>
    private async Task<long> SettledRevisionAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        string seen = "";
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(15))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var text = (await Position.TextContentAsync())?.Trim() ?? "";
            var value = await Slider.InputValueAsync();
            var query = new Uri(Page.Url).Query;
            seen = $"position “{text}”, slider value {value}, address query “{query}”";
            if (RevisionOf(text) is { } revision
                && value == revision.ToString(CultureInfo.InvariantCulture)
                && query == $"?revision={revision}")
            {
                return revision;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"The page did not settle on one revision after the drag within 15 s; last seen: {seen}.");
    }

    /// <summary>
    /// Times <paramref name="steps"/> presses of ArrowRight on the focused slider, in the page: from the keydown to the
    /// mutation of the position text, with performance.now(). Returns the times in milliseconds.
    /// </summary>
    private async Task<double[]> TimeSliderStepsAsync(int steps, CancellationToken cancellationToken)
    {
        await Page.EvaluateAsync("""
            () => {
              const timing = { down: 0, shown: document.querySelector('[data-testid=replay-position]').textContent, samples: [] };
              window.__replayTiming = timing;
              document.addEventListener('keydown', e => {
                if (e.key === 'ArrowRight' && e.target.closest('[data-testid=replay-slider]')) timing.down = performance.now();
              }, true);
              new MutationObserver(() => {
                const now = performance.now();
                const text = document.querySelector('[data-testid=replay-position]')?.textContent;
                if (timing.down && text !== timing.shown) {
                  timing.samples.push(now - timing.down);
                  timing.down = 0;
                }
                timing.shown = text;
              }).observe(document.querySelector('[data-testid=replay-panel]'), { subtree: true, childList: true, characterData: true });
            }
            """);
        await Expect(Slider).ToBeFocusedAsync();
        for (var step = 1; step <= steps; step++)
        {
            await Page.Keyboard.PressAsync("ArrowRight").WaitAsync(cancellationToken);
            await Page.WaitForFunctionAsync("n => window.__replayTiming.samples.length >= n", step, new PageWaitForFunctionOptions { Timeout = 10_000 })
                .WaitAsync(cancellationToken);
        }

        return await Page.EvaluateAsync<double[]>("() => window.__replayTiming.samples");
    }

    /// <summary>
    /// Writes <see cref="VolumeAccount"/>: an opening and 99,999 deposits and withdrawals of varied amounts, by a few
    /// actors, in appends of 1,000 through a second store on the app's file, as another process would.
    /// </summary>
    private async Task AppendVolumeAccountAsync(CancellationToken cancellationToken)
    {
        const string currency = "EUR";
        string[] actors = ["payroll-batch", "teller-ana", "web-banking", "card-network"];
        var random = new Random(20261127);
        var balance = 0m;
        await using var store = new SqliteEventStore(new EmbeddedStoreOptions($"Data Source={App.DatabasePath}"));
        await store.InitializeAsync(cancellationToken);
        var stream = AccountIds.StreamOf(VolumeAccount);
        var expected = ExpectedRevision.NoStream;
        var batch = new List<EventData>(VolumeBatch)
        {
            Encode(new AccountOpened(VolumeAccount, "Volume Test Holder", currency), "teller-ana", "Customer onboarding"),
        };
        for (var written = 0; written < VolumeEvents; written += batch.Count, batch.Clear())
        {
            while (batch.Count < VolumeBatch && written + batch.Count < VolumeEvents)
            {
                var n = written + batch.Count;
                var actor = actors[random.Next(actors.Length)];
                if (balance > 500m && random.Next(3) == 0)
                {
                    var amount = Math.Round((decimal)random.Next(100, 40_000) / 100m, 2);
                    balance -= amount;
                    batch.Add(Encode(new FundsWithdrawn(amount, currency, $"CARD-{n}"), actor, "Card payment"));
                }
                else
                {
                    var amount = Math.Round((decimal)random.Next(1_000, 250_000) / 100m, 2);
                    balance += amount;
                    batch.Add(Encode(new FundsDeposited(amount, currency, $"TRX-{n}"), actor, "Incoming transfer"));
                }
            }

            var result = await store.AppendAsync(stream, expected, batch, cancellationToken);
            expected = ExpectedRevision.Exact(result.NextExpectedRevision);
        }

        static EventData Encode(AccountEvent accountEvent, string actor, string reason) => AccountEventCodec.Encode(
            Guid.NewGuid(), accountEvent, new EventMetadata(actor, reason, Guid.NewGuid().ToString("N"), null, "end-to-end-tests"));
    }

    /// <summary>Waits until GET /api/accounts/{id} reports <paramref name="revision"/>: the app has read the appended events.</summary>
    private async Task WaitUntilTheAppShowsAsync(string accountId, long revision, CancellationToken cancellationToken)
    {
        using var api = App.CreateApiClient();
        var stopwatch = Stopwatch.StartNew();
        var seen = "nothing yet";
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(60))
        {
            using var response = await api.GetAsync(new Uri($"api/accounts/{accountId}", UriKind.Relative), cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var account = await response.Content.ReadFromJsonAsync<ApiAccount>(cancellationToken);
                if (account?.Revision == revision)
                    return;
                seen = $"revision {account?.Revision}";
            }
            else
            {
                seen = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"GET /api/accounts/{accountId} did not reach revision {revision} within 60 s (last: {seen}).\n{App.Process.Describe()}");
    }

    /// <summary>The account's events and currency, as the API reports them.</summary>
    private async Task<History> HistoryAsync(string accountId, CancellationToken cancellationToken)
    {
        using var api = App.CreateApiClient();
        var account = await api.GetFromJsonAsync<ApiAccount>($"api/accounts/{accountId}", cancellationToken)
            ?? throw new InvalidOperationException($"GET /api/accounts/{accountId} answered nothing.");
        var page = await api.GetFromJsonAsync<ApiEventPage>($"api/accounts/{accountId}/events?fromRevision=0&count=500", cancellationToken)
            ?? throw new InvalidOperationException($"GET /api/accounts/{accountId}/events answered nothing.");
        Assert.True(page.Events.Count >= 10, $"{accountId} has {page.Events.Count} events; the replay tests want at least 10.");
        Assert.Equal(Enumerable.Range(0, page.Events.Count).Select(i => (long)i), page.Events.Select(e => e.Revision));
        return new History(page.Events, account.Currency);
    }

    private async Task<ApiAccountState> StateAsync(string accountId, long revision, CancellationToken cancellationToken)
    {
        using var api = App.CreateApiClient();
        return await api.GetFromJsonAsync<ApiAccountState>($"api/accounts/{accountId}/state?revision={revision}", cancellationToken)
            ?? throw new InvalidOperationException($"GET /api/accounts/{accountId}/state?revision={revision} answered nothing.");
    }

    /// <summary>
    /// A moment between two of the account's events, at least two minutes apart, typed as the viewer would: wall-clock
    /// time in Paris to the second. Returns it with the revision it should show: the earlier event's.
    /// </summary>
    private static (int Revision, string Moment) MomentBetweenTwoEvents(History history, int notAt)
    {
        for (var i = history.Events.Count - 2; i > 0; i--)
        {
            var (earlier, later) = (history.Events[i].Recorded, history.Events[i + 1].Recorded);
            if (i == notAt || later - earlier < TimeSpan.FromMinutes(2))
                continue;
            var middle = earlier + ((later - earlier) / 2);
            var local = TimeZoneInfo.ConvertTime(middle, Paris).DateTime;

            // To the second, as typed; a wall-clock time that happened twice would be refused, rightly.
            local = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second, DateTimeKind.Unspecified);
            if (Paris.IsAmbiguousTime(local) || Paris.IsInvalidTime(local))
                continue;
            return (i, local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        }

        throw new InvalidOperationException("No two consecutive events of the demo account are two minutes apart.");
    }

    private static string InParis(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, Paris).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string PositionText(long revision, long last) => $"revision {Count(revision)} of {Count(last)}";

    private static long? RevisionOf(string positionText)
    {
        var match = Regex.Match(positionText, @"^revision ([0-9,]+) of [0-9,]+$", RegexOptions.None, TimeSpan.FromSeconds(1));
        return match.Success ? long.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : null;
    }

    private static Regex RevisionInAddress(long revision) =>
        new($"[?&]revision={revision}(&|$)", RegexOptions.None, TimeSpan.FromSeconds(1));

    /// <summary>An account's events in revision order (revision = index) and its currency.</summary>
    private sealed record History(IReadOnlyList<ApiEvent> Events, string? Currency)
    {
        public int LastRevision => Events.Count - 1;

        public string BalanceAfter(long revision) => Currencies.Format(Events[(int)revision].BalanceAfter, Currency);
    }
}
