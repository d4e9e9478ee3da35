namespace AuditDashboard.Core.Replay;

/// <summary>Positions <paramref name="First"/> to <paramref name="Last"/> of a history: their lowest and highest balance, and the balance after the last.</summary>
public sealed record BalanceBucket(int First, int Last, decimal Low, decimal High, decimal End);
