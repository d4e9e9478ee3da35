using System.Security.Cryptography;
using AuditDashboard.Adapters.Integrity;
using AuditDashboard.Core.Integrity;
using AuditDashboard.Core.Signing;

namespace AuditDashboard.Adapters.Tests;

/// <summary>
/// What the ledger seal tests share over an <see cref="IEventStore"/> adapter: a test signing key, a leaf file of the test's
/// own, appending events and running the sealer until they are sealed.
/// </summary>
/// <remarks>
/// Nothing here assumes an empty store or a seal stream of this run only: the store may be a shared server that earlier runs
/// sealed. That is why the key is fixed: a seal of an earlier run must verify under today's key.
/// </remarks>
public abstract class LedgerSealTestBase : IAsyncLifetime
{
    /// <summary>How long the sealer may take to seal what a test appended.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A key for tests only, fixed (tests/Shared) so that seals written by an earlier run against a real server still verify;
    /// the whole dashboard signs with it too when its tests run on a real server.
    /// </summary>
    private const string RealServerKeyFile = "real-server-signing-key.pem";

    private readonly TempFolder _directory = new();
    private IEventStore? _store;

    protected IEventStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected SigningKeySet Keys { get; } = CreateKeys();

    /// <summary>The leaf records of this test's sealer: a file of its own, wherever the store keeps its events.</summary>
    protected string LeafFilePath => _directory.File("ledger.leaves");

    protected static CancellationToken TestCancellation => TestContext.Current.CancellationToken;

    /// <summary>A file in this test's own temporary folder.</summary>
    protected string TempFile(string name) => _directory.File(name);

    public async ValueTask InitializeAsync() => _store = await CreateStoreAsync(TestCancellation);

    public async ValueTask DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
        Keys.Dispose();
        _directory.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates the initialized store of one test.</summary>
    protected abstract Task<IEventStore> CreateStoreAsync(CancellationToken cancellationToken);

    /// <summary>Appends <paramref name="count"/> events, one append each, to a stream of this test's own; returns them as stored.</summary>
    protected async Task<List<RecordedEvent>> AppendEventsAsync(int count, CancellationToken cancellationToken)
    {
        // Every stream outside the system's is a leaf; not an account stream, though: on a real node shared with the
        // dashboard's own tests, accounts would make the node look seeded, and the dashboard seeds only a store without any.
        var stream = "sealtest-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        for (var i = 0; i < count; i++)
        {
            var data = Encoding.UTF8.GetBytes($$"""{"amount":{{10 + i}},"currency":"EUR"}""");
            await Store.AppendAsync(stream, ExpectedRevision.Any, [new EventData(Guid.NewGuid(), "FundsDeposited", data, """{"actor":"test","reason":"seal test"}"""u8.ToArray())], cancellationToken);
        }

        return await Store.ReadStreamAsync(stream, Direction.Forwards, StreamRevision.Start, long.MaxValue, cancellationToken).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Runs the sealer over <see cref="LeafFilePath"/> until a seal covers <paramref name="position"/>, then stops it as the
    /// app does on shutdown; fails with the sealer's state after <see cref="Patience"/>.
    /// </summary>
    protected async Task<LedgerIntegrity> SealUntilAsync(long position, int everyEvents, CancellationToken cancellationToken)
    {
        var state = new LedgerIntegrity();
        var sealer = new LedgerSealer(Store, Keys, state, new SealSchedule(everyEvents, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)), [], TimeProvider.System);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using (var leaves = LeafFile.OpenForWriting(LeafFilePath))
        {
            var running = sealer.RunAsync(leaves, TimeSpan.FromMilliseconds(200), stop.Token);
            await Eventually.UntilAsync(
                () =>
                {
                    if (state.LastSeal is { } seal && seal.LastPosition >= position)
                    {
                        return true;
                    }

                    Assert.Null(state.Violation);
                    return false;
                },
                $"a seal covering position {position}",
                Patience,
                cancellationToken,
                () => $"last seal {state.LastSeal}, problem: {state.Problem}, violation: {state.Violation?.Description}");

            await stop.CancelAsync();
            await running;
        }

        return state;
    }

    private static SigningKeySet CreateKeys()
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, RealServerKeyFile)));
        return new SigningKeySet(key, []);
    }
}
