using AuditDashboard.Adapters.Embedded;

namespace AuditDashboard.Tests.Support;

/// <summary>Writes account events into a real store the way the app's writers do: through the codec, one append per batch.</summary>
public static class Ledger
{
    /// <summary>How long a test waits for something that should happen at once before it fails instead of hanging.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static async Task<SqliteEventStore> OpenStoreAsync(TempFolder folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var store = new SqliteEventStore(folder.ConnectionString);
        await store.InitializeAsync(cancellationToken);
        return store;
    }

    public static EventMetadata By(string actor, string reason) =>
        new(actor, reason, CorrelationId: Guid.NewGuid().ToString("N"), CausationId: null, Source: "audit-dashboard-tests");

    public static EventData Encode(AccountEvent accountEvent, EventMetadata metadata) =>
        AccountEventCodec.Encode(Guid.NewGuid(), accountEvent, metadata);

    /// <summary>An event as another writer might have stored it: any type name, any bytes, bypassing the codec.</summary>
    public static EventData Raw(string eventType, string data, EventMetadata metadata) => new(
        Guid.NewGuid(),
        eventType,
        Encoding.UTF8.GetBytes(data),
        JsonSerializer.SerializeToUtf8Bytes(metadata, AccountEventCodec.JsonOptions));

    public static Task<AppendResult> AppendAsync(IEventStore store, string accountId, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.AppendAsync(AccountIds.StreamOf(accountId), ExpectedRevision.Any, events, cancellationToken);
    }

    /// <summary>Opens an account and deposits <paramref name="deposit"/> when positive, in one append.</summary>
    public static Task<AppendResult> OpenAsync(
        IEventStore store, string accountId, string owner, string currency, decimal deposit, CancellationToken cancellationToken)
    {
        var events = new List<EventData> { Encode(new AccountOpened(accountId, owner, currency), By("olivia", "Customer onboarding")) };
        if (deposit > 0)
        {
            events.Add(Encode(new FundsDeposited(deposit, currency, "initial"), By("olivia", "Initial deposit")));
        }

        return AppendAsync(store, accountId, events, cancellationToken);
    }
}
