using AuditDashboard.Components.Pages.Accounts.Replay;
using AuditDashboard.Core.Replay;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace AuditDashboard.Tests.Components.Replay;

/// <summary>
/// Holds a <see cref="ReplayPanel"/> the way the account page does, with its position bound both ways, and keeps every
/// index the panel raised, so a test sees both what the panel asked for and how it shows the new position.
/// </summary>
public sealed class ReplayPanelHost : ComponentBase
{
    private readonly List<int> _raised = [];

    [Parameter, EditorRequired]
    public AccountReplay Replay { get; set; } = default!;

    /// <summary>The position the panel starts at.</summary>
    [Parameter]
    public int StartIndex { get; set; }

    public int Index { get; private set; }

    /// <summary>Every value of <see cref="ReplayPanel.IndexChanged"/>, in order.</summary>
    public IReadOnlyList<int> Raised => _raised;

    protected override void OnInitialized() => Index = StartIndex;

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenComponent<ReplayPanel>(0);
        builder.AddComponentParameter(1, nameof(ReplayPanel.Replay), Replay);
        builder.AddComponentParameter(2, nameof(ReplayPanel.Index), Index);
        builder.AddComponentParameter(3, nameof(ReplayPanel.IndexChanged), EventCallback.Factory.Create<int>(this, OnIndexChanged));
        builder.AddComponentParameter(4, nameof(ReplayPanel.View), Replay.View);
        builder.CloseComponent();
    }

    private void OnIndexChanged(int index)
    {
        _raised.Add(index);
        Index = index;
    }
}
