namespace AuditDashboard.Core.Integrity;

/// <summary>When the sealer seals and the checker re-checks.</summary>
/// <param name="EveryEvents">Seal once this many leaves are unsealed.</param>
/// <param name="Every">Seal unsealed leaves at least this often.</param>
/// <param name="VerifyEvery">Re-read the leaves sealed since the last check this often (the continuous check).</param>
public sealed record SealSchedule(int EveryEvents, TimeSpan Every, TimeSpan VerifyEvery);
