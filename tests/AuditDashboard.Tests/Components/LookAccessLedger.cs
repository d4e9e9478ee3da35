using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Core.Export;

namespace AuditDashboard.Tests.Components;

/// <summary>
/// A ledger whose access log holds, oldest first: carla signing in, then looks at account data, each appended five
/// minutes after its last look as the recorder appends them: olivia viewing ACC-7 (12 times), an API key reading ACC-7,
/// and sam searching events.
/// </summary>
public sealed class LookAccessLedger : IAsyncLifetime
{
    public static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly ManualTimeProvider _clock = new(At);
    private IEventStore? _store;

    public IEventStore Store => _store ?? throw new InvalidOperationException("The store is opened in InitializeAsync.");

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var store = new SqliteEventStore(new EmbeddedStoreOptions(_folder.ConnectionString), _clock);
        await store.InitializeAsync(cancellationToken);
        _store = store;
        await SignInEvents.AppendAsync(_store, SignInEvents.SignedIn, new SignInRecorded("carla", "password", "10.1.2.3", At), cancellationToken);
        await AppendAsync(new AccessRecorded("olivia", AccessAction.AccountViewed, "ACC-7", null, At.AddMinutes(10), At.AddMinutes(13), 12, "203.0.113.9", "Firefox/140", AccessOutcome.Allowed), cancellationToken);
        await AppendAsync(new AccessRecorded("api-key:dev-operator", AccessAction.AccountRead, "ACC-7", null, At.AddHours(2), At.AddHours(2), 1, "198.51.100.4", null, AccessOutcome.Allowed), cancellationToken);
        await AppendAsync(new AccessRecorded("sam", AccessAction.EventsSearched, null, "actor=olivia", At.AddHours(3), At.AddHours(3), 1, "10.9.8.7", null, AccessOutcome.Allowed), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
        _folder.Dispose();
    }

    private async Task AppendAsync(AccessRecorded look, CancellationToken cancellationToken)
    {
        _clock.Now = look.LastAt.AddMinutes(5);
        await Store.AppendAsync(AccessLog.StreamId, ExpectedRevision.Any, [AccessEvents.Event(Guid.NewGuid(), look)], cancellationToken);
    }
}
