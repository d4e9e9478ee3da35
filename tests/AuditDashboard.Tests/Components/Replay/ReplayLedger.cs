using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Core.Export;
using AuditDashboard.Mirror;
using AuditDashboard.Core.Replay;

namespace AuditDashboard.Tests.Components.Replay;

/// <summary>
/// One account, <see cref="AccountId"/>, whose fifteen events are recorded at chosen moments: across the night the
/// clocks of Europe/Paris go forward (2026-03-29) and the night they go back (2026-10-25), so that "as of" moments can
/// be typed in the viewer's zone and checked against known revisions. The store stamps each append with the time of
/// its clock, so every event is appended on its own with the clock set to its moment.
/// </summary>
public sealed class ReplayLedger : IAsyncLifetime
{
    public const string AccountId = "RP-0001";

    public const string Currency = "EUR";

    /// <summary>The history: when each revision was recorded, what it was, and the balance and status after it.</summary>
    public static IReadOnlyList<HistoryEvent> History { get; } =
    [
        new(At("2026-03-28T09:00:00Z"), new AccountOpened(AccountId, "Alice Martin", Currency), 0m, "Open"),
        new(At("2026-03-28T12:00:00Z"), new FundsDeposited(100m, Currency, "SAL-1"), 100m, "Open"),

        // 01:30 in Paris, half an hour before the clocks jump from 02:00 to 03:00 …
        new(At("2026-03-29T00:30:00Z"), new FundsWithdrawn(30m, Currency, "ATM-1"), 70m, "Open"),

        // … and 03:30, half an hour after.
        new(At("2026-03-29T01:30:00Z"), new FundsDeposited(50m, Currency, "REF-1"), 120m, "Open"),
        new(At("2026-04-02T08:00:00Z"), new FundsDeposited(200m, Currency, "SAL-2"), 320m, "Open"),
        new(At("2026-04-05T08:00:00Z"), new FundsWithdrawn(20m, Currency, "ATM-2"), 300m, "Open"),
        new(At("2026-04-10T08:00:00Z"), new AccountFrozen(), 300m, "Frozen"),
        new(At("2026-04-12T08:00:00Z"), new AccountUnfrozen(), 300m, "Open"),
        new(At("2026-05-01T08:00:00Z"), new FundsDeposited(10m, Currency, "SAL-3"), 310m, "Open"),
        new(At("2026-06-01T08:00:00Z"), new FundsDeposited(10m, Currency, "SAL-4"), 320m, "Open"),
        new(At("2026-07-01T08:00:00Z"), new FundsWithdrawn(5m, Currency, "FEE-1"), 315m, "Open"),
        new(At("2026-08-01T08:00:00Z"), new FundsDeposited(10m, Currency, "SAL-5"), 325m, "Open"),
        new(At("2026-09-01T08:00:00Z"), new FundsDeposited(10m, Currency, "SAL-6"), 335m, "Open"),

        // 02:30 in Paris twice: first in summer time (+02:00), then, an hour later, in winter time (+01:00).
        new(At("2026-10-25T00:30:00Z"), new FundsDeposited(1m, Currency, "LATE-1"), 336m, "Open"),
        new(At("2026-10-25T01:30:00Z"), new FundsDeposited(2m, Currency, "LATE-2"), 338m, "Open"),
    ];

    public static long LastRevision => History.Count - 1;

    private readonly TempFolder _folder = new();
    private readonly SettableClock _clock = new();
    private SqliteEventStore? _store;

    public IEventStore Store => _store ?? throw new InvalidOperationException("The store is opened in InitializeAsync.");

    public AccountTimelines Timelines { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _store = new SqliteEventStore(new EmbeddedStoreOptions(_folder.ConnectionString), _clock);
        await _store.InitializeAsync(timeout.Token);
        foreach (var step in History)
        {
            _clock.Now = step.Recorded;
            await Ledger.AppendAsync(_store, AccountId, [Ledger.Encode(step.Event, Ledger.By("olivia", "Replay fixture"))], timeout.Token);
        }

        Timelines = new AccountTimelines(_store);
    }

    /// <summary>The fixture's account replayed as recorded, from its timeline.</summary>
    public async Task<AccountReplay> RecordedReplayAsync(CancellationToken cancellationToken)
    {
        var timeline = await Timelines.GetAsync(AccountId, cancellationToken)
            ?? throw new InvalidOperationException($"The fixture holds no account '{AccountId}'.");
        return AccountReplay.Of(AccountId, timeline.Snapshot, ReplayView.Recorded);
    }

    /// <summary>Registers the services the account page injects, over this ledger.</summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton(Store);
        services.AddSingleton(Timelines);
        services.AddSingleton(new AccountHistory(Store, new AuditDashboard.Core.ReadModels.InMemoryReadModelStore()));
        services.AddSingleton(new AccountDirectory());
        services.AddSingleton(Options.Create(new TimelineCacheOptions()));

        // The mirror turned off: the timeline shows no Kafka column.
        services.AddSingleton(new MirrorMonitor(Store, TimeProvider.System));

        // Looks are counted in memory; a test that wants them in the access log flushes the recorder.
        services.AddSingleton(new AccessRecorder(Store, TimeProvider.System, TimeSpan.FromMinutes(5)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
            await _store.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>The balance after <paramref name="revision"/> as the app formats it, e.g. <c>120.00 EUR</c>.</summary>
    public static string BalanceAfter(long revision) => Currencies.Format(History[(int)revision].Balance, Currency);

    private static DateTimeOffset At(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One event of <see cref="History"/>, at revision = its index.</summary>
    public sealed record HistoryEvent(DateTimeOffset Recorded, AccountEvent Event, decimal Balance, string Status);

    /// <summary>A clock that tells the time it is set to: the store stamps appends with it.</summary>
    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
