using AuditDashboard.Accounts;
using AuditDashboard.Components.Common;
using AuditDashboard.Core.Export;
using AuditDashboard.Mirror;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;

namespace AuditDashboard.Tests.Components;

/// <summary>
/// The base of every component test: MudBlazor's services with loose JS interop (its components call JS that bUnit
/// has no browser for), and the viewer's clock that the app's router cascades to every page.
/// </summary>
public abstract class MudComponentTest : BunitContext
{
    protected MudComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        Services.AddCascadingValue(_ => Viewer);

        // What the correction dialogs read an account through: the timelines a test registers, and compact snapshots of
        // long accounts where it registers what they need (see UseAccountPage).
        Services.AddSingleton(sp => new CorrectionSnapshots(
            sp.GetRequiredService<AccountTimelines>(), sp.GetService<CorrectionReads>(), sp.GetService<AccountReplays>()));
        DefaultWaitTimeout = Ledger.Patience;
    }

    /// <summary>A viewer in Paris, as the <c>tz</c> cookie would report one.</summary>
    protected static ViewerClock Viewer { get; } = ViewerClock.For("Europe/Paris");

    /// <summary>Registers the real services the pages inject, over the fixture's store.</summary>
    protected void UseLedger(LedgerFixture ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        Services.AddSingleton<IEventStore>(ledger.Store);
        Services.AddSingleton(ledger.Directory);
        Services.AddSingleton(ledger.Timelines);
        Services.AddSingleton(new AccountHistory(ledger.Store, ledger.Directory.Store));
        Services.AddSingleton(Options.Create(new TimelineCacheOptions()));
        Services.AddSingleton(ledger.Proposals);
        Services.AddSingleton(ledger.Feed);
    }

    /// <summary>
    /// Registers what the account page injects over <paramref name="ledger"/>, with a timeline cache of its own (the
    /// fixture's may hold an account already) and accounts longer than <paramref name="windowAbove"/> events read in
    /// windows; the page runs as a live (interactive) component. Returns the cache, to tell what the page loaded.
    /// </summary>
    protected AccountTimelines UseAccountPage(LedgerFixture ledger, int windowAbove)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var timelines = new AccountTimelines(ledger.Store);
        var history = new AccountHistory(ledger.Store, ledger.Directory.Store);
        Services.AddSingleton(timelines);
        Services.AddSingleton(history);
        Services.AddSingleton(ledger.Directory);
        Services.AddSingleton(Options.Create(new TimelineCacheOptions { WindowAbove = windowAbove }));
        Services.AddSingleton(new CorrectionReads(timelines, history, ledger.Directory, windowAbove));
        Services.AddSingleton(new AccountReplays(history, ledger.Directory, timelines));
        Services.AddSingleton(new MirrorMonitor(ledger.Store, TimeProvider.System));
        Services.AddSingleton(new AccessRecorder(ledger.Store, TimeProvider.System, TimeSpan.FromMinutes(5)));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return timelines;
    }

    /// <summary>
    /// Signs the test in as the Support user "sam" under the app's own policies, and registers the correction service over
    /// <paramref name="ledger"/>'s store, so a page's correction dialogs post for real.
    /// </summary>
    protected void SignInAsSupport(LedgerFixture ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(ledger.Store);
        Services.AddSingleton<CorrectionService>();
        AddAuthorization().SetAuthorized("sam").SetRoles(Roles.Support);
        Services.RemoveAll<IAuthorizationService>();
        Services.RemoveAll<IAuthorizationPolicyProvider>();
        Services.AddAuthorizationCore(Policies.AddTo);
    }

    /// <summary>
    /// Renders the popover provider the app's layout holds: selects, autocompletes and tooltips draw their popovers
    /// into it, so the test finds a select's items there.
    /// </summary>
    protected IRenderedComponent<MudPopoverProvider> RenderPopoverProvider() => Render<MudPopoverProvider>();

    protected static async Task<TimelineSnapshot> LoadSnapshotAsync(LedgerFixture ledger, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var timeline = await ledger.Timelines.GetAsync(accountId, cancellationToken)
            ?? throw new InvalidOperationException($"The fixture holds no account '{accountId}'.");
        return timeline.Snapshot;
    }
}
