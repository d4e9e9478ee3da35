using System.Security.Cryptography;
using AuditDashboard.Adapters.Integrity;
using AuditDashboard.Core.Integrity;

namespace AuditDashboard.Adapters.Tests;

/// <summary>
/// The ledger sealer and the checker over an <see cref="IEventStore"/> adapter, written once against the port: seals are
/// written and verified the same way on every store.
/// </summary>
/// <remarks>
/// No test appends a forged seal (on a shared server it would stay in the seal stream for good); a forged seal is handed to
/// the checker instead.
/// </remarks>
public abstract class LedgerSealContract : LedgerSealTestBase
{
    [Fact(Timeout = 120_000)]
    public async Task Sealer_SealsEveryEventAppended_AndTheCheckerVerifiesTheSealsAgainstTheStore()
    {
        var cancel = TestContext.Current.CancellationToken;
        var appended = await AppendEventsAsync(7, cancel);

        var state = await SealUntilAsync(appended[^1].Position, everyEvents: 3, cancel);

        Assert.Null(state.Violation);
        var (seals, _) = await LedgerSeals.ReadAsync(Store, cancel);
        Assert.NotEmpty(seals);
        Assert.Equal(Enumerable.Range(1, seals.Count).Select(n => (long)n), seals.Select(s => s.Number));
        Assert.All(seals, s => Assert.True(s.IsSignedBy(Keys.Published), $"Seal {s.Number} does not verify under the test key."));
        Assert.True(seals[^1].LastPosition >= appended[^1].Position, $"The last seal ends at {seals[^1].LastPosition}, before {appended[^1].Position}.");

        // Each appended event is a leaf, hashed from its canonical form as this adapter reads it.
        using var leaves = LeafFile.OpenForReading(LeafFilePath)!;
        var positions = new long[leaves.Count];
        var hashes = new byte[leaves.Count * MerkleHash.Size];
        leaves.Read(0, positions, hashes);
        var expected = new byte[MerkleHash.Size];
        foreach (var record in appended)
        {
            var index = Array.IndexOf(positions, record.Position);
            Assert.True(index >= 0, $"The event at position {record.Position} is not among the sealed leaves.");
            LedgerLeaf.Hash(record, expected);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(hashes, index * MerkleHash.Size, MerkleHash.Size));
        }

        var check = await new LedgerVerifier(Store, TimeProvider.System).CheckAsync(new LedgerCheckRequest(seals, Keys.Published, leaves), null, cancel);
        Assert.True(check.IsIntact, check.Violation?.Description);
        Assert.Equal(seals.Count, check.SealsChecked);
        Assert.Equal(seals[^1].TreeSize, check.LeavesChecked);
    }

    [Fact(Timeout = 120_000)]
    public async Task Checker_ResumedFromASeal_ReadsOnFromThatSealsLastEvent_AndVerifiesTheSealsAfterIt()
    {
        var cancel = TestContext.Current.CancellationToken;
        var earlier = await AppendEventsAsync(3, cancel);
        await SealUntilAsync(earlier[^1].Position, everyEvents: 2, cancel);
        var resumeAfter = (await LedgerSeals.ReadAsync(Store, cancel)).Seals[^1];
        var later = await AppendEventsAsync(3, cancel);
        await SealUntilAsync(later[^1].Position, everyEvents: 2, cancel);
        var (seals, _) = await LedgerSeals.ReadAsync(Store, cancel);

        using var leaves = LeafFile.OpenForReading(LeafFilePath)!;
        var check = await new LedgerVerifier(Store, TimeProvider.System).CheckAsync(new LedgerCheckRequest(seals, Keys.Published, leaves, null, resumeAfter.Number), null, cancel);

        // Resuming starts right after the seal's last event: one event too early or too late and the next root differs.
        Assert.True(check.IsIntact, check.Violation?.Description);
        Assert.Equal(seals.Count - resumeAfter.Number, check.SealsChecked);
        Assert.Equal(seals[^1].TreeSize, check.LeavesChecked);
        Assert.Equal(seals[^1].LastPosition, check.LastPosition);
    }

    [Fact(Timeout = 120_000)]
    public async Task Checker_GivenASignedSealWhoseRootDoesNotMatchTheStore_ReportsItAtThatSeal()
    {
        var cancel = TestContext.Current.CancellationToken;
        var appended = await AppendEventsAsync(4, cancel);
        await SealUntilAsync(appended[^1].Position, everyEvents: 2, cancel);
        var (seals, _) = await LedgerSeals.ReadAsync(Store, cancel);
        var last = seals[^1];
        var otherRoot = SHA256.HashData(Encoding.UTF8.GetBytes("not this ledger"));
        var forged = LedgerSeal.Create(last.Number, last.TreeSize, last.LastPosition, otherRoot, last.SealedAt, Keys);

        var check = await new LedgerVerifier(Store, TimeProvider.System).CheckAsync(new LedgerCheckRequest([.. seals.SkipLast(1), forged], Keys.Published), null, cancel);

        var violation = Assert.IsType<IntegrityViolation>(check.Violation);
        Assert.Equal(ViolationKind.RootMismatch, violation.Kind);
        Assert.Equal(last.Number, violation.SealNumber);
        Assert.Equal(seals.Count - 1, check.SealsChecked);
    }
}
