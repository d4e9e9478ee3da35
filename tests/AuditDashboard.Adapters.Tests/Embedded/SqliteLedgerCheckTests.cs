using System.Security.Cryptography;
using AuditDashboard.Core.Integrity;
using AuditDashboard.Core.Signing;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.Tests.Embedded;

/// <summary>
/// The ledger check over the SQLite file, which it reads straight from SQLite's statement rather than through
/// <see cref="IEventStore.ReadAllAsync"/>: its leaves must be exactly the ones the sealer computes from the events read. The
/// same checks run through <see cref="IEventStore.ReadAllAsync"/>, the way every other store is read.
/// </summary>
public sealed class SqliteLedgerCheckTests : IDisposable
{
    // More than one page of the store's leaf reader and many hashing batches, so that every boundary is crossed.
    private const int Streams = 8;
    private const int EventsPerStream = 2_600;

    private readonly TempFolder _directory = new();
    private readonly string _path;

    public SqliteLedgerCheckTests() => _path = _directory.File("audit.db");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CheckAsync_OnTheLedgerItsSealsWereComputedFrom_IsIntactOverEveryLeaf(bool throughReadAllAsync)
    {
        await using var store = await WriteLedgerAsync();
        using var keys = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        var (seals, leaves) = await SealAsync(store, keys);

        var result = await new LedgerVerifier(throughReadAllAsync ? new RecordsOnly(store) : store, TimeProvider.System).CheckAsync(new LedgerCheckRequest(seals, keys.Published, leaves), null, TestContext.Current.CancellationToken);

        Assert.Null(result.Violation);
        Assert.Equal(Streams * EventsPerStream, result.LeavesChecked);
        Assert.Equal(seals.Count, result.SealsChecked);
        Assert.Equal(seals[^1].Root(), result.Frontier.Root());
        Assert.Null(result.ReferenceMismatchAt);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CheckAsync_AfterOneEventsDataWasChangedInTheFile_NamesThatEvent(bool throughReadAllAsync)
    {
        await using var store = await WriteLedgerAsync();
        using var keys = new SigningKeySet(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);
        var (seals, leaves) = await SealAsync(store, keys);
        var changed = await store.ReadStreamAsync(StreamId(5), Direction.Forwards, 2_345, 1, TestContext.Current.CancellationToken).SingleAsync(TestContext.Current.CancellationToken);
        using (var connection = new SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE events SET data = CAST('{\"amount\":9935.68}' AS BLOB) WHERE position = $position";
            command.Parameters.AddWithValue("$position", changed.Position);
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var result = await new LedgerVerifier(throughReadAllAsync ? new RecordsOnly(store) : store, TimeProvider.System).CheckAsync(new LedgerCheckRequest(seals, keys.Published, leaves), null, TestContext.Current.CancellationToken);

        var violation = Assert.IsType<IntegrityViolation>(result.Violation);
        Assert.Equal(ViolationKind.Changed, violation.Kind);
        Assert.Equal(changed.Position, violation.Position);
        Assert.Equal(StreamId(5), violation.StreamId);
        Assert.Equal(2_345, violation.Revision);
    }

    // Stream ids and types beyond ASCII, so that the UTF-8 the file holds is what the canonical form takes.
    private static string StreamId(int stream) => $"account-Ü{stream}-口座";

    private async Task<SqliteEventStore> WriteLedgerAsync()
    {
        var store = new SqliteEventStore($"Data Source={_path}");
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        for (var start = 0; start < EventsPerStream; start += 100)
        {
            for (var stream = 0; stream < Streams; stream++)
            {
                var events = Enumerable.Range(start, 100).Select(i => new EventData(
                    Guid.NewGuid(),
                    "Überweisung",
                    Encoding.UTF8.GetBytes($$"""{"amount":{{i}}.{{stream}}}"""),
                    i % 3 == 0 ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes("""{"actor":"ledger-check-test"}"""))).ToList();
                await store.AppendAsync(StreamId(stream), ExpectedRevision.Of(start == 0 ? null : start - 1), events, TestContext.Current.CancellationToken);
            }

            // Seal events sit among the leaves in $all but are none of them.
            await store.AppendAsync(LedgerSeals.StreamId, ExpectedRevision.Any, [new EventData(Guid.NewGuid(), "LedgerSealed", "{}"u8.ToArray(), ReadOnlyMemory<byte>.Empty)], TestContext.Current.CancellationToken);
        }

        return store;
    }

    /// <summary>Seals the ledger as the sealer does: leaves hashed from the events <see cref="IEventStore.ReadAllAsync"/> reads.</summary>
    private static async Task<(IReadOnlyList<LedgerSeal> Seals, LeafList Leaves)> SealAsync(SqliteEventStore store, SigningKeySet keys)
    {
        var frontier = new MerkleFrontier();
        var leaves = new LeafList();
        var seals = new List<LedgerSeal>();
        await foreach (var record in store.ReadAllAsync(Direction.Forwards, AllPosition.Start, long.MaxValue, null, TestContext.Current.CancellationToken))
        {
            if (!LedgerLeaf.IsLeaf(record.StreamId))
                continue;
            var hash = LedgerLeaf.Hash(record);
            frontier.Append(hash);
            leaves.Add(record.Position, hash);
            if (frontier.Size % 7_000 == 0)
                seals.Add(LedgerSeal.Create(seals.Count + 1, frontier.Size, record.Position, frontier.Root(), DateTimeOffset.UtcNow, keys));
        }

        seals.Add(LedgerSeal.Create(seals.Count + 1, frontier.Size, leaves.LastPosition, frontier.Root(), DateTimeOffset.UtcNow, keys));
        return (seals, leaves);
    }

    /// <summary>The store without its direct leaf reader: the check reads it as it reads EventStoreDB, event by event.</summary>
    private sealed class RecordsOnly(IEventStore store) : ForwardingEventStore(store);

    /// <summary>Leaf records in memory.</summary>
    private sealed class LeafList : ILeafHashes
    {
        private readonly List<(long Position, byte[] Hash)> _leaves = [];

        public long Count => _leaves.Count;

        public long LastPosition => _leaves[^1].Position;

        public void Add(long position, byte[] hash) => _leaves.Add((position, hash));

        public void Read(long start, Span<long> positions, Span<byte> hashes)
        {
            for (var i = 0; i < positions.Length; i++)
            {
                var (position, hash) = _leaves[(int)start + i];
                positions[i] = position;
                hash.CopyTo(hashes[(i * MerkleHash.Size)..]);
            }
        }
    }
}
