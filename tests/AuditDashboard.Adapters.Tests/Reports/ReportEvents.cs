using AuditDashboard.Adapters.ReadModels;
using AuditDashboard.Core.ReadModels;
using AuditDashboard.Core.Search;

namespace AuditDashboard.Adapters.Tests.Reports;

/// <summary>Corrections and four-eyes events as the event index holds them, and the stores a report reads them from.</summary>
internal static class ReportEvents
{
    public static IndexedEvent Correction(long position, string type, string? actor, DateTimeOffset recorded, decimal? amount, string? currency, string account = "ACC-1") =>
        new(position, account, position, Guid.NewGuid(), type, actor, recorded, recorded, amount, currency, null, $"c-{position}", null, "support", "fix", amount is null);

    public static IndexedEvent Proposal(long position, Guid id, string actor, DateTimeOffset recorded, string correlation, string account = "ACC-1") =>
        new(position, account, position, id, AccountEventTypes.CorrectionProposed, actor, recorded, recorded, null, null, null, correlation, null, "support", "please", false);

    public static IndexedEvent Decision(long position, bool approve, Guid proposal, string actor, DateTimeOffset recorded, string correlation, string account = "ACC-1") =>
        new(position, account, position, Guid.NewGuid(), approve ? AccountEventTypes.CorrectionApproved : AccountEventTypes.CorrectionRejected,
            actor, recorded, recorded, null, null, null, correlation, proposal.ToString(), "support", "ok", false);

    /// <summary>
    /// A real SQLite read-model store in <paramref name="folder"/> and the in-memory one, both holding <paramref name="events"/>;
    /// disposing the list closes the SQLite file.
    /// </summary>
    public static async Task<ReportStores> StoresHoldingAsync(TempFolder folder, IReadOnlyCollection<IndexedEvent> events, CancellationToken cancellationToken)
    {
        var stores = new ReportStores([new SqliteReadModelStore($"Data Source={folder.File("readmodels.db")}"), new InMemoryReadModelStore()]);
        foreach (var store in stores.All)
        {
            await store.OpenAsync("ledger", cancellationToken);
            await using (var writing = await store.BeginAsync(cancellationToken))
            {
                await writing.PutEventsAsync(events, cancellationToken);
                await writing.SetCheckpointAsync(AccountDirectory.ProjectionName, events.Count == 0 ? 0 : events.Max(e => e.Position), cancellationToken);
                await writing.CommitAsync(cancellationToken);
            }

            await store.CompleteFirstBuildAsync(cancellationToken);
        }

        return stores;
    }
}

/// <summary>The stores a report test reads from.</summary>
internal sealed class ReportStores(IReadOnlyList<IReadModelStore> all) : IAsyncDisposable
{
    public IReadOnlyList<IReadModelStore> All { get; } = all;

    public async ValueTask DisposeAsync()
    {
        foreach (var store in All.OfType<IAsyncDisposable>())
            await store.DisposeAsync();
    }
}
