using AuditDashboard.Accounts;
using AuditDashboard.Core.Export;
using AuditDashboard.Core.Integrity;
using AuditDashboard.Core.Search;
using AuditDashboard.Core.Signing;

namespace AuditDashboard.Export;

/// <summary>
/// A validated export: what to write, for whom, and how many events the account holds; with <see cref="Proofs"/>, the seal and
/// leaf records its inclusion proofs are made from, taken when the export was planned.
/// </summary>
public sealed record ExportPlan(ExportHeader Header, long AccountEvents, long LastRevision, ExportProofs? Proofs = null);

/// <summary>
/// Writes an account's timeline export to a stream and puts every export on the record. The recorded view streams the
/// account from the store, folding as it goes, so memory does not grow with the history; the corrected view reads it in
/// effective order a block at a time from the account's marks and its few moved corrections (before the directory has
/// caught up, from the shared timeline in memory). The export of a search
/// pages through the event index and reads each match back from the store. Every export is signed with the current signing key.
/// </summary>
public sealed partial class TimelineExporter(
    IEventStore store,
    ExportProgressRegistry registry,
    TimeProvider time,
    ExportStarts starts,
    ILogger<TimelineExporter> logger,
    ISigningKeys signingKeys,
    LedgerIntegrity integrity,
    IExportWriters writers,
    AccountDirectory directory,
    AccountReplays replays)
{
    /// <summary>
    /// Plans an export, or returns null when the account does not exist; throws <see cref="ExportRefusedException"/> for a PDF
    /// too large, and for proofs while the ledger has no seal to prove against. Proofs are against the latest seal now.
    /// </summary>
    public async Task<ExportPlan?> PlanAsync(
        string accountId, ReplayView view, ExportRange range, ExportFormat format, string user, Guid? exportId, bool withProofs, CancellationToken cancellationToken)
    {
        if (!AccountIds.IsValid(accountId) || await store.GetLastRevisionAsync(AccountIds.StreamOf(accountId), cancellationToken) is not { } last)
            return null;

        // Whatever the seal covers of the account's events is proven; what came after it is named as not sealed, never left out.
        var proofs = withProofs ? ProofsAgainstLatestSeal() : null;
        var header = new ExportHeader(exportId ?? Guid.NewGuid(), accountId, view, range, format, user, time.GetUtcNow()) { WithProofs = withProofs };
        if (format == ExportFormat.Pdf)
        {
            var inRange = await CountInRangeAsync(accountId, view, range, last, cancellationToken);
            if (inRange > ExportFormats.PdfMaxEvents)
            {
                throw new ExportRefusedException(
                    $"A PDF holds at most {ExportFormats.PdfMaxEvents:N0} events and this range holds {inRange:N0}: narrow the range, or export CSV or NDJSON, which have no limit.");
            }
        }

        return new ExportPlan(header, last + 1, last, proofs);
    }

    /// <summary>
    /// Plans the export of a search's matches (never with proofs); throws <see cref="ExportRefusedException"/> for a PDF
    /// of more matches than a PDF holds.
    /// </summary>
    public async Task<ExportPlan> PlanSearchAsync(EventQuery search, ExportFormat format, string user, Guid? exportId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        var counted = await directory.Store.SearchEventsAsync(search with { Limit = 1, After = null, CountTotal = true }, cancellationToken);
        var matches = counted.Total ?? 0;
        if (format == ExportFormat.Pdf && (counted.TotalIsCapped || matches > ExportFormats.PdfMaxEvents))
        {
            throw new ExportRefusedException(
                $"A PDF holds at most {ExportFormats.PdfMaxEvents:N0} events and this search finds {(counted.TotalIsCapped ? "more than " : "")}{matches:N0}: narrow the search, or export CSV or NDJSON, which have no limit.");
        }

        var header = ExportHeader.ForSearch(exportId ?? Guid.NewGuid(), search with { After = null }, format, user, time.GetUtcNow());
        return new ExportPlan(header, matches, -1);
    }

    private ExportProofs ProofsAgainstLatestSeal()
    {
        // One consistent view: the seal, and leaf records that hold its whole tree (the sealer appends leaves before sealing them).
        if (integrity.LastSeal is not { } seal || integrity.Leaves is not { } leaves || integrity.Tree is not { } tree || leaves.Count < seal.TreeSize)
        {
            throw new ExportRefusedException(
                "The ledger has no seal yet, or the sealer has not opened its leaf records: there is nothing to prove the events against. Try again in a minute, or export without proofs.",
                "Not sealed yet.",
                StatusCodes.Status409Conflict);
        }

        return new ExportProofs(seal, leaves, tree);
    }

    /// <summary>
    /// Puts the planned export on the record as started, before anything is sent; false, recording nothing, when its
    /// export id is already in the access log (anyone's): then no file may go out under it.
    /// </summary>
    public async Task<bool> StartAsync(ExportPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var header = plan.Header;
        var started = new ExportStarted(
            header.ExportId, header.AccountId, header.ViewName, header.Format.Extension(), header.Range.From, header.Range.To, header.ExportedBy, header.ExportedAt)
        {
            Search = SearchOf(header),
        };
        if (await starts.TryStartAsync(started, cancellationToken))
            return true;

        LogReusedId(header.ExportId, header.AccountId, header.ExportedBy);
        return false;
    }

    /// <summary>
    /// Writes the export to <paramref name="output"/>; <see cref="StartAsync"/> must have put it on the record first. The access log records it before the end row goes out (a failure
    /// there leaves the file without its end row, so it never verifies); an export that stops early is recorded as such.
    /// </summary>
    public async Task<ExportSummary> WriteAsync(ExportPlan plan, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var header = plan.Header;
        var progress = registry.Start(header.ExportId, header.ExportedBy, plan.AccountEvents);
        ExportRecorded? recorded = null;
        var outcome = ExportOutcome.Failed;
        try
        {
            var entries = header.Search is { } search
                ? SearchExport.EntriesOf(directory.Store, store, search, cancellationToken)
                : header.View == ReplayView.Recorded
                ? TimelineExport.EntriesOf(store, header.AccountId, plan.LastRevision, cancellationToken)
                : await CorrectedEntriesAsync(header.AccountId, plan.LastRevision, cancellationToken);
            await using var writer = writers.Create(header, output);
            return await TimelineExport.WriteAsync(header, entries, writer, signingKeys, plan.Proofs, new Progress(progress), async (summary, ct) =>
            {
                var completed = Record(header, ExportOutcome.Completed, summary);
                await AppendAsync(completed, ct);
                recorded = completed;
                progress.Finish(completed);
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            outcome = ExportOutcome.Aborted;
            throw;
        }
        finally
        {
            if (recorded is null)
                await RecordUnfinishedAsync(Record(header, outcome, summary: null), progress);
        }
    }

    private ExportRecorded Record(ExportHeader header, ExportOutcome outcome, ExportSummary? summary) => new(
        header.ExportId, header.AccountId, header.ViewName, header.Format.Extension(), header.Range.From, header.Range.To,
        header.ExportedBy, header.ExportedAt, time.GetUtcNow(), outcome, summary?.Count ?? 0, summary?.Digest,
        summary?.Signature?.KeyId, summary?.Signature?.Value)
    {
        Search = SearchOf(header),
    };

    private static string? SearchOf(ExportHeader header) => header.Search is { } search ? EventSearchParameters.Describe(search) : null;

    private async Task AppendAsync(ExportRecorded recorded, CancellationToken cancellationToken)
    {
        await AccessLog.AppendAsync(store, recorded, cancellationToken);
        LogRecorded(recorded.ExportId, recorded.AccountId, recorded.ExportedBy, recorded.Outcome, recorded.Count);
    }

    // Best effort, and even when the reader went away: the access log should show every export that began.
    private async Task RecordUnfinishedAsync(ExportRecorded recorded, ExportProgress progress)
    {
        progress.Finish(recorded);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await AppendAsync(recorded, timeout.Token);
        }
        catch (Exception ex) when (ex is EventStoreUnavailableException or OperationCanceledException or IOException or WrongExpectedRevisionException)
        {
            LogRecordFailed(ex, recorded.ExportId, recorded.AccountId, recorded.ExportedBy);
        }
    }

    private async Task<IAsyncEnumerable<ExportEntry>> CorrectedEntriesAsync(string accountId, long lastRevision, CancellationToken cancellationToken) =>
        TimelineExport.EntriesOf(await ReplayAsync(accountId, ReplayView.Corrected, lastRevision, cancellationToken), cancellationToken);

    // The account in a view as it was at lastRevision (events appended since the plan are not exported).
    private async Task<IReplaySource> ReplayAsync(string accountId, ReplayView view, long lastRevision, CancellationToken cancellationToken) =>
        await replays.OpenAsync(accountId, lastRevision, view, cancellationToken) ?? throw new InvalidOperationException($"Account {accountId} vanished.");

    // Positions are in the order of the view's times, so the range is two searches by time.
    private async Task<long> CountInRangeAsync(string accountId, ReplayView view, ExportRange range, long lastRevision, CancellationToken cancellationToken) =>
        await range.CountInAsync(await ReplayAsync(accountId, view, lastRevision, cancellationToken), cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId} of {AccountId} by {User}: {Outcome}, {Count} events")]
    private partial void LogRecorded(Guid exportId, string accountId, string user, ExportOutcome outcome, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export of {AccountId} by {User} refused: the export id {ExportId} is already in the access log")]
    private partial void LogReusedId(Guid exportId, string accountId, string user);

    [LoggerMessage(Level = LogLevel.Error, Message = "Export {ExportId} of {AccountId} by {User} could not be recorded in the access log")]
    private partial void LogRecordFailed(Exception exception, Guid exportId, string accountId, string user);

    private sealed class Progress(ExportProgress target) : IProgress<long>
    {
        public void Report(long value) => target.Report(value);
    }
}

/// <summary>
/// An export that cannot be made as asked (e.g. a PDF over its size limit, proofs before the first seal); the message says what
/// to do instead, <see cref="Title"/> and <see cref="StatusCode"/> what the endpoint answers.
/// </summary>
public sealed class ExportRefusedException(string message, string title = "The export is too large for this format.", int statusCode = StatusCodes.Status400BadRequest)
    : Exception(message)
{
    public string Title { get; } = title;

    public int StatusCode { get; } = statusCode;
}
