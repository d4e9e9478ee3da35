using AuditDashboard.Core.Export;

namespace AuditDashboard.Tests.Components;

/// <summary>A ledger whose access log holds, oldest first: a wrong API key, a wrong password, a lockout, a sign-out.</summary>
public sealed class SignInAccessLedger : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 15, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private IEventStore? _store;

    public IEventStore Store => _store ?? throw new InvalidOperationException("The store is opened in InitializeAsync.");

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _store = await Ledger.OpenStoreAsync(_folder, cancellationToken);
        await SignInEvents.AppendAsync(_store, SignInEvents.SignInFailed, new SignInRecorded(null, "api-key", "198.51.100.4", At, "the API key matches none"), cancellationToken);
        await SignInEvents.AppendAsync(_store, SignInEvents.SignInFailed, new SignInRecorded("sam", "password", "203.0.113.9", At, "wrong user name or password"), cancellationToken);
        await SignInEvents.AppendAsync(_store, SignInEvents.SignInLockedOut, new SignInRecorded("sam", "password", "203.0.113.9", At, "too many failed sign-ins", At.AddMinutes(15)), cancellationToken);
        await SignInEvents.AppendAsync(_store, SignInEvents.SignedOut, new SignInRecorded("carla", "password", "10.1.2.3", At), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
        _folder.Dispose();
    }
}
