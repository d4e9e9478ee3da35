namespace AuditDashboard.Core.Integrity;

/// <summary>
/// Keeps the ledger sealed. At start it checks the whole ledger against the seals it has (rebuilding the leaf records where
/// they are missing), then follows <c>$all</c>: each new leaf is hashed into the tree, and every
/// <see cref="SealSchedule.EveryEvents"/> leaves or <see cref="SealSchedule.Every"/> a signed seal is appended to
/// <see cref="LedgerSeals.StreamId"/> at an exact expected revision, so two sealers cannot fork the chain. Whatever is unsealed
/// is sealed as soon as the feed has caught up at start, and again at a clean stop. A mismatch stops sealing (new seals would
/// cover the forgery) until a whole pass finds the ledger intact again.
/// </summary>
public sealed class LedgerSealer(
    IEventStore store,
    ISigningKeys keys,
    LedgerIntegrity state,
    SealSchedule schedule,
    IReadOnlyList<ISealSink> sinks,
    TimeProvider time)
{
    private static readonly TimeSpan StopSealTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Raised for each violation found (once per run that finds it), after it was recorded in the store.</summary>
    public event EventHandler<IntegrityViolation>? ViolationFound;

    /// <summary>Raised when a sink could not take a seal; the seal stays in the seal stream regardless.</summary>
    public event EventHandler<(ISealSink Sink, LedgerSeal Seal, Exception Error)>? SinkFailed;

    /// <summary>Runs until cancelled. <paramref name="leaves"/> is the writable leaf record file, owned by the caller.</summary>
    public async Task RunAsync(ILeafLog leaves, TimeSpan retryDelay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        state.UseLeaves(leaves);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(leaves, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The sealer must outlive any store failure; the problem is shown through the state.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                state.Failed(ex is WrongExpectedRevisionException
                    ? "Another sealer appended a seal meanwhile; this one starts over from the seals."
                    : "The sealer stopped: " + ex.Message);
            }

            try
            {
                await Task.Delay(retryDelay, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunOnceAsync(ILeafLog leaves, CancellationToken cancellationToken)
    {
        var (seals, sealRevision) = await LedgerSeals.ReadAsync(store, cancellationToken);
        if (seals.Count > 0 && leaves.Count > seals[^1].TreeSize)
            leaves.Truncate(seals[^1].TreeSize);

        // The start-up check: the whole ledger against every seal, extending the leaf records where they end.
        var check = await FullCheckAsync(seals, leaves, extend: true, cancellationToken);
        if (check.ReferenceMismatchAt is { } stale)
        {
            leaves.Truncate(stale);
            check = await FullCheckAsync(seals, leaves, extend: true, cancellationToken);
        }

        if (check.Violation is not null)
        {
            await WaitForIntactPassAsync(leaves, cancellationToken);
            return;
        }

        if (seals.Count > 0)
            state.Sealed(seals[^1]);
        var live = new Live(check.Frontier, check.LastPosition, seals.Count > 0 ? seals[^1] : null, sealRevision, check.LeavesChecked);
        await FollowAsync(leaves, live, cancellationToken);
    }

    /// <summary>After a mismatch: no sealing; a whole pass on demand; when one finds the ledger intact, sealing starts over.</summary>
    private async Task WaitForIntactPassAsync(ILeafLog leaves, CancellationToken cancellationToken)
    {
        while (true)
        {
            await state.FullCheckRequested.WaitAsync(cancellationToken);
            var (seals, _) = await LedgerSeals.ReadAsync(store, cancellationToken);
            var check = await FullCheckAsync(seals, leaves, extend: false, cancellationToken);
            if (check.IsIntact)
                return;
        }
    }

    private async Task<LedgerCheckResult> FullCheckAsync(IReadOnlyList<LedgerSeal> seals, ILeafLog leaves, bool extend, CancellationToken cancellationToken)
    {
        state.Progress(new LedgerCheckProgress(0, seals.Count == 0 ? 0 : seals[^1].TreeSize));
        var progress = new Progress(state);
        var result = await new LedgerVerifier(store, time).CheckAsync(
            new LedgerCheckRequest(seals, keys.Published, leaves, extend ? leaves : null), progress, cancellationToken);
        state.FullCheckFinished(result, time.GetUtcNow());
        if (result.Violation is { } violation)
            await ReportAsync(violation, cancellationToken);
        return result;
    }

    private async Task FollowAsync(ILeafLog leaves, Live live, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var follower = new LeafFollower();
        var following = follower.RunAsync(store, live.LastPosition, stop.Token);
        var lastSealedAt = time.GetUtcNow();
        var lastVerifiedAt = time.GetUtcNow();
        var hash = new byte[MerkleHash.Size];
        try
        {
            while (true)
            {
                var now = time.GetUtcNow();
                var wait = Min(live.Pending > 0 ? lastSealedAt + schedule.Every - now : schedule.Every, lastVerifiedAt + schedule.VerifyEvery - now);
                var readable = follower.Batches.WaitToReadAsync(cancellationToken).AsTask();
                var timer = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, cancellationToken);
                var fullCheck = state.FullCheckRequested;
                var woke = await Task.WhenAny(readable, timer, fullCheck);
                if (woke.IsCanceled)
                    break;
                if (woke == readable && !await readable)
                    return; // following ended; had it failed, the wait above would have thrown its error

                while (follower.Batches.TryRead(out var batch))
                {
                    for (var i = 0; i < batch.Count; i++)
                    {
                        SHA256.HashData(batch.HashInput(i), hash);
                        leaves.Append(batch.Positions[i], hash);
                        live.Frontier.Append(hash);
                        live.LastPosition = batch.Positions[i];
                        if (live.Pending >= schedule.EveryEvents)
                        {
                            await SealAsync(leaves, live, cancellationToken);
                            lastSealedAt = time.GetUtcNow();
                        }
                    }

                    // Whatever is unsealed at start (an existing ledger on its first start) is sealed as soon as it is read.
                    if (batch.CaughtUp)
                    {
                        if (live.Pending > 0)
                            await SealAsync(leaves, live, cancellationToken);
                        lastSealedAt = time.GetUtcNow();
                    }

                    follower.Return(batch);
                }

                now = time.GetUtcNow();
                if (live.Pending > 0 && now - lastSealedAt >= schedule.Every)
                {
                    await SealAsync(leaves, live, cancellationToken);
                    lastSealedAt = now;
                }

                if (fullCheck.IsCompleted || now - lastVerifiedAt >= schedule.VerifyEvery)
                {
                    var whole = fullCheck.IsCompleted;
                    if (!await CheckSealedAsync(leaves, live, whole, cancellationToken))
                        return;
                    lastVerifiedAt = time.GetUtcNow();
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await following.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // A clean stop seals what is unsealed, within a bound: a store that does not answer must not hold the shutdown.
        if (live.Pending > 0)
        {
            using var bounded = new CancellationTokenSource(StopSealTimeout, time);
            await SealAsync(leaves, live, bounded.Token);
        }
    }

    /// <summary>
    /// The continuous check: reads again the leaves sealed since the last check (or, on demand, all of them) and compares
    /// them with the leaf records and the seals. False when it found a mismatch.
    /// </summary>
    private async Task<bool> CheckSealedAsync(ILeafLog leaves, Live live, bool whole, CancellationToken cancellationToken)
    {
        var (seals, _) = await LedgerSeals.ReadAsync(store, cancellationToken);
        seals = [.. seals.TakeWhile(s => s.TreeSize <= live.SealedSize)];
        LedgerCheckResult result;
        if (whole)
        {
            result = await FullCheckAsync(seals, leaves, extend: false, cancellationToken);
        }
        else
        {
            result = await new LedgerVerifier(store, time).CheckAsync(
                new LedgerCheckRequest(seals, keys.Published, leaves, null, live.VerifiedSeal), null, cancellationToken);
            if (result.Violation is { } violation)
            {
                state.Found(violation);
                await ReportAsync(violation, cancellationToken);
            }
        }

        if (!result.IsIntact)
            return false;
        live.VerifiedSeal = seals.Count == 0 ? 0 : seals[^1].Number;
        return true;
    }

    private async Task SealAsync(ILeafLog leaves, Live live, CancellationToken cancellationToken)
    {
        leaves.Flush();
        var number = (live.LastSeal?.Number ?? 0) + 1;
        var seal = LedgerSeal.Create(number, live.Frontier.Size, live.LastPosition ?? 0, live.Frontier.Root(), time.GetUtcNow(), keys);
        var appended = await store.AppendAsync(LedgerSeals.StreamId, ExpectedRevision.Of(live.SealRevision), [LedgerSeals.ToEvent(seal)], cancellationToken);
        live.SealRevision = appended.NextExpectedRevision;
        live.LastSeal = seal;
        live.SealedSize = seal.TreeSize;
        state.Sealed(seal);
        foreach (var sink in sinks)
        {
            try
            {
                await sink.PublishAsync(seal, cancellationToken);
            }
#pragma warning disable CA1031 // A sink that fails does not undo the seal; it is reported and the next seal goes out again.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                SinkFailed?.Invoke(this, (sink, seal, ex));
            }
        }
    }

    /// <summary>Records the violation in <see cref="LedgerSeals.FindingsStreamId"/> once, however often it is found.</summary>
    private async Task ReportAsync(IntegrityViolation violation, CancellationToken cancellationToken)
    {
        ViolationFound?.Invoke(this, violation);
        var id = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(violation.Key)).AsSpan(0, 16));
        await foreach (var recorded in store.ReadStreamAsync(LedgerSeals.FindingsStreamId, Direction.Backwards, StreamRevision.End, 1000, cancellationToken))
        {
            if (recorded.EventId == id)
                return;
        }

        var data = JsonSerializer.SerializeToUtf8Bytes(new
        {
            kind = violation.Kind.ToString(),
            sealNumber = violation.SealNumber,
            leafIndex = violation.LeafIndex,
            position = violation.Position,
            streamId = violation.StreamId,
            revision = violation.Revision,
            description = violation.Description,
            detectedAt = LedgerSeal.SealedAtText(time.GetUtcNow()),
        });
        var metadata = JsonSerializer.SerializeToUtf8Bytes(new { actor = "ledger-sealer", reason = "The ledger does not match its seals", source = "audit-dashboard" });
        await store.AppendAsync(LedgerSeals.FindingsStreamId, ExpectedRevision.Any, [new EventData(id, LedgerSeals.ViolationType, data, metadata)], cancellationToken);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>The tree as it grows past the last seal.</summary>
    private sealed class Live(MerkleFrontier frontier, long? lastPosition, LedgerSeal? lastSeal, long? sealRevision, long checkedLeaves)
    {
        public MerkleFrontier Frontier { get; } = frontier;

        public long? LastPosition { get; set; } = lastPosition;

        public LedgerSeal? LastSeal { get; set; } = lastSeal;

        public long? SealRevision { get; set; } = sealRevision;

        public long SealedSize { get; set; } = lastSeal?.TreeSize ?? 0;

        public long VerifiedSeal { get; set; } = checkedLeaves > 0 ? lastSeal?.Number ?? 0 : 0;

        public long Pending => Frontier.Size - SealedSize;
    }

    private sealed class Progress(LedgerIntegrity state) : IProgress<LedgerCheckProgress>
    {
        public void Report(LedgerCheckProgress value) => state.Progress(value);
    }
}
