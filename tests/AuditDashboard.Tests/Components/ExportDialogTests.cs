using AuditDashboard.Components.Pages.Accounts.Export;
using AuditDashboard.Export;
using AuditDashboard.Integrity;
using AuditDashboard.Core.Replay;
using Microsoft.AspNetCore.Components;

namespace AuditDashboard.Tests.Components;

/// <summary>
/// The export dialog's range: a date the picker cannot read is an error of the range, never an open end: Export is
/// disabled and the dialog says which field is wrong instead of a count.
/// </summary>
public sealed class ExportDialogTests(TimelineLedger ledger) : MudComponentTest, IClassFixture<TimelineLedger>
{
    [Fact(Timeout = 30_000)]
    public async Task ADateThatDoesNotParse_DisablesExport_AndTheCountSaysWhy()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var dialog = await OpenAsync(cancellationToken);
        await dialog.WaitForAssertionAsync(() => Assert.StartsWith("7 events in this range", Text(dialog, "export-count"), StringComparison.Ordinal)).WaitAsync(cancellationToken);
        Assert.False(ExportButton(dialog).HasAttribute("disabled"));

        await dialog.Find("input[data-testid='export-all-time'], [data-testid='export-all-time'] input").ChangeAsync(new ChangeEventArgs { Value = false });
        await dialog.Find("input[data-testid='export-from'], [data-testid='export-from'] input").ChangeAsync(new ChangeEventArgs { Value = "garbage" });

        await dialog.WaitForAssertionAsync(() => Assert.Contains("From: 'garbage' is not a date", Text(dialog, "export-error"), StringComparison.Ordinal)).WaitAsync(cancellationToken);
        Assert.Empty(dialog.FindAll("[data-testid='export-count']"));
        Assert.True(ExportButton(dialog).HasAttribute("disabled"), "Export stays enabled with a date that does not parse");

        // Corrected, it counts again.
        await dialog.Find("input[data-testid='export-from'], [data-testid='export-from'] input").ChangeAsync(new ChangeEventArgs { Value = "2000-01-01" });
        await dialog.WaitForAssertionAsync(() => Assert.StartsWith("7 events in this range", Text(dialog, "export-count"), StringComparison.Ordinal)).WaitAsync(cancellationToken);
        Assert.False(ExportButton(dialog).HasAttribute("disabled"));
    }

    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync(CancellationToken cancellationToken)
    {
        UseLedger(ledger);
        Services.AddSingleton(new ExportProgressRegistry(TimeProvider.System));
        Services.AddSingleton(Options.Create(new IntegrityOptions()));
        AddAuthorization().SetAuthorized("carla").SetRoles(Roles.ComplianceReviewer);
        var provider = Render<MudDialogProvider>();
        var snapshot = await LoadSnapshotAsync(ledger, TimelineLedger.AccountId, cancellationToken);
        var parameters = new DialogParameters<ExportDialog>
        {
            { d => d.AccountId, TimelineLedger.AccountId },
            { d => d.Replays, view => Task.FromResult<IReplaySource>(AccountReplay.Of(TimelineLedger.AccountId, snapshot, view)) },
        };
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<ExportDialog>(null, parameters));
        provider.WaitForElement("[data-testid='export-start']");
        return provider;
    }

    private static AngleSharp.Dom.IElement ExportButton(IRenderedComponent<MudDialogProvider> dialog) => dialog.Find("[data-testid='export-start']");

    private static string Text(IRenderedComponent<MudDialogProvider> dialog, string testId) =>
        string.Join(' ', dialog.Find($"[data-testid='{testId}']").TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
