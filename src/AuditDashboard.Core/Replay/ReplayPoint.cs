namespace AuditDashboard.Core.Replay;

/// <summary>
/// One moment of a replay: the state after the entry at <see cref="Index"/> (in the view's order), or the state before
/// the account existed when <see cref="Index"/> is -1.
/// </summary>
public sealed record ReplayPoint(int Index, AccountState State, TimelineEntry? Entry)
{
    public bool BeforeAccountExisted => Entry is null;
}
