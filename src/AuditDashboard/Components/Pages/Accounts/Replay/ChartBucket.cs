namespace AuditDashboard.Components.Pages.Accounts.Replay;

/// <summary>A slice of the balance chart: where it is drawn and the replay position a click there moves to.</summary>
public sealed record ChartBucket(double X, double Width, int Index);
