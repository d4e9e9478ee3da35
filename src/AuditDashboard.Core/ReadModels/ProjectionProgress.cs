namespace AuditDashboard.Core.ReadModels;

/// <summary>
/// How far a projection has come since this start: from its checkpoint towards the ledger's head as it was at start.
/// </summary>
/// <param name="From">The checkpoint it resumed from (null: from the first event).</param>
/// <param name="Head">The position of the ledger's last event when it started (null: not known yet, or an empty ledger).</param>
/// <param name="Applied">The last position applied (null: nothing yet).</param>
/// <param name="EventsApplied">Events applied since this start.</param>
/// <param name="Elapsed">Time since this start.</param>
/// <param name="IsCaughtUp">True once everything stored at start has been applied.</param>
public sealed record ProjectionProgress(long? From, long? Head, long? Applied, long EventsApplied, TimeSpan Elapsed, bool IsCaughtUp)
{
    public static readonly ProjectionProgress NotStarted = new(null, null, null, 0, TimeSpan.Zero, false);

    /// <summary>
    /// How far behind the head at start it is, counted in positions: one per event on the embedded store, whose positions
    /// are consecutive; an estimate elsewhere.
    /// </summary>
    public long Behind => IsCaughtUp || Head is not { } head ? 0 : Math.Max(0, head - (Applied ?? From ?? 0));

    /// <summary>Share of the work since start that is done, 0–100.</summary>
    public double Percent
    {
        get
        {
            if (IsCaughtUp)
                return 100;
            if (Head is not { } head)
                return 0;
            var start = From ?? 0;
            var total = head - start;
            return total <= 0 ? 100 : Math.Clamp(100.0 * ((Applied ?? start) - start) / total, 0, 100);
        }
    }

    /// <summary>
    /// True while every event has been applied and the store makes what it put off during a first build (the event
    /// index's lookups), before the projection says it has caught up.
    /// </summary>
    public bool IsIndexing { get; init; }

    public double EventsPerSecond => Elapsed > TimeSpan.Zero ? EventsApplied / Elapsed.TotalSeconds : 0;

    /// <summary>What a page shows while the read models are being built: "Building read models: 43 %, 210,000 events/s".</summary>
    public string Describe() => IsIndexing
        ? string.Create(CultureInfo.InvariantCulture, $"Building read models: indexing {EventsApplied:N0} events for search")
        : string.Create(CultureInfo.InvariantCulture, $"Building read models: {Math.Floor(Percent):F0} %, {EventsPerSecond:N0} events/s");
}
