namespace AuditDashboard.Tests.Integrity;

/// <summary>
/// <see cref="SealedDashboard"/> whose sealer seals the seeded ledger once, when it has caught up at start, and then not again
/// while the tests run (a seal every million events or every day): what is appended afterwards stays unsealed.
/// </summary>
public sealed class SealedOnceDashboard() : SealedDashboard(new Dictionary<string, string?>
{
    ["Integrity:Seal:EveryEvents"] = "1000000",
    ["Integrity:Seal:EveryMinutes"] = "1440",
});
