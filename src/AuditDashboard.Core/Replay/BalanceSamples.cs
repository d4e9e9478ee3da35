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

    /// <summary>Collects samples in order, for a replay that reads them a position or a mark at a time.</summary>
    public sealed class Builder
    {
        private readonly List<int> _positions = [];
        private readonly List<decimal> _balances = [];
        private readonly List<DateTimeOffset> _times = [];

        /// <summary>The position of the last sample added, or -1.</summary>
        public int LastPosition => _positions.Count == 0 ? -1 : _positions[^1];

        public void Add(int position, decimal balance, DateTimeOffset at)
        {
            _positions.Add(position);
            _balances.Add(balance);
            _times.Add(at);
        }

        /// <summary>The samples of a replay of <paramref name="count"/> positions; the first sample's time is the replay's first.</summary>
        public BalanceSamples Build(int count, string? currency) =>
            new(count, _positions, _balances, _times, currency, _times.Count == 0 ? null : _times[0]);
    }
}
