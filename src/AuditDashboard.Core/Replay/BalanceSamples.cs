namespace AuditDashboard.Core.Replay;

/// <summary>
/// The balance of an account at some of its replay's positions, in order: every position of a short replay, or one
/// position every so many events (its marks) of a long one. What the balance chart draws.
/// </summary>
/// <param name="Count">How many positions the replay has; samples lie between 0 and <c>Count - 1</c>.</param>
/// <param name="Positions">The position of each sample, ascending.</param>
/// <param name="Balances">The balance after each sampled position.</param>
/// <param name="Times">The time of each sampled position in the replay's view (never decreasing).</param>
/// <param name="First">The time of the replay's first position; null when it is empty.</param>
public sealed record BalanceSamples(
    int Count, IReadOnlyList<int> Positions, IReadOnlyList<decimal> Balances, IReadOnlyList<DateTimeOffset> Times, string? Currency, DateTimeOffset? First)
{
    public static BalanceSamples Empty { get; } = new(0, [], [], [], null, null);

    /// <summary>The time of the replay's last position; null when it is empty.</summary>
    public DateTimeOffset? Last => Times.Count == 0 ? null : Times[^1];
}
