using AuditDashboard.Core.Corrections;
using AuditDashboard.Core.Live;


namespace AuditDashboard.Core.Accounts;

/// <summary>
/// One catch-up subscription to every account stream, feeding the cached timelines, the correction proposals, the
/// ledger's command ids and each user's recent corrections, so each append anyone makes reaches every open page and every
/// check; beside it runs the account directory's own projection, which resumes from its durable checkpoint. The feed
/// starts where that checkpoint was at start: what its read models need from before it (the events commands wrote) is
/// loaded from the read-model store, so a restart reads only the events since. Resumes where it stopped after a store
/// failure.
/// </summary>
public sealed class LedgerFeed(
    IEventStore store,
    TimeProvider time,
    AccountDirectory directory,
    AccountTimelines timelines,
    CorrectionProposals proposals,
    CorrectionCommands? commands = null,
    RecentCorrections? recentCorrections = null)
{
    private readonly ChangeSubscribers _subscribers = new();
    private Task? _markingCaughtUp;
    private bool _loaded;

    /// <summary>The commit position of the last event applied, or null before the first.</summary>
    public long? LastPosition { get; private set; }

    /// <summary>
    /// The last failure of the subscription, cleared when it delivers again (the directory's projection reports its own,
    /// <see cref="AccountDirectory.LastError"/>, which readiness shows).
    /// </summary>
    public Exception? LastError { get; private set; }

    /// <summary>Calls <paramref name="onChange"/> when <see cref="LastError"/> was set or cleared, until disposed.</summary>
    public IDisposable Subscribe(Func<Task> onChange) => _subscribers.Subscribe(onChange);

    /// <summary>Runs until cancelled, re-subscribing after <paramref name="retryDelay"/> (on its clock) when the store fails.</summary>
    public async Task RunAsync(TimeSpan retryDelay, CancellationToken cancellationToken)
    {
        var directoryProjection = directory.FollowAsync(store, time, retryDelay, cancellationToken);
        await FeedAsync(retryDelay, cancellationToken);
        await directoryProjection;
        if (_markingCaughtUp is { } marking)
            await marking;
    }

    private async Task FeedAsync(TimeSpan retryDelay, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!_loaded)
                    await LoadKeptAsync(cancellationToken);
                await foreach (var message in store.SubscribeToAllAsync(LastPosition, AccountIds.StreamPrefix, cancellationToken))
                {
                    if (LastError is not null)
                        ReportError(null);
                    switch (message)
                    {
                        case SubscriptionMessage.EventAppeared { Record: var record }:
                            await ApplyAsync(record, cancellationToken);
                            break;
                        case SubscriptionMessage.CaughtUp:
                            // Caught up means every read model is: the directory's projection may still be building. The
                            // feed is not held up meanwhile, so live events and a failure of the store still reach it.
                            _markingCaughtUp ??= MarkCaughtUpWithTheDirectoryAsync(cancellationToken);
                            break;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The feed must outlive any store failure; the error is surfaced through LastError.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ReportError(ex);
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

    // Loads what the read-model store keeps up to the directory's checkpoint and starts after it; with nothing kept
    // (a first build) the feed starts at the first event. The store is opened first (once: the directory's projection
    // opens it too), as it is emptied there when it cannot be trusted; a ledger that does not answer fails it here.
    private async Task LoadKeptAsync(CancellationToken cancellationToken)
    {
        await directory.OpenAsync(store, cancellationToken);
        var readModels = directory.Store;
        if (await readModels.ReadCheckpointAsync(AccountDirectory.ProjectionName, cancellationToken) is { } applied)
        {
            foreach (var record in await readModels.ReadCommandEventsAsync(AccountEventTypes.FourEyes, applied, null, cancellationToken))
                Apply(proposals.Apply, record);
            if (recentCorrections is not null)
            {
                var recent = await readModels.ReadCommandEventsAsync(AccountEventTypes.Corrections, applied, recentCorrections.HeldSince, cancellationToken);
                foreach (var record in recent)
                    Apply(recentCorrections.Apply, record);
            }

            commands?.LookUpIn(readModels);
            LastPosition = applied;
        }

        _loaded = true;
    }

    private static void Apply(Action<string, RecordedEvent> apply, RecordedEvent record)
    {
        if (AccountIds.TryFromStream(record.StreamId, out var accountId))
            apply(accountId, record);
    }

    private async Task MarkCaughtUpWithTheDirectoryAsync(CancellationToken cancellationToken)
    {
        try
        {
            await directory.ProjectionCaughtUp.WaitAsync(cancellationToken);
            directory.MarkCaughtUp();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void ReportError(Exception? error)
    {
        LastError = error;
        _subscribers.Notify();
    }

    private async Task ApplyAsync(RecordedEvent record, CancellationToken cancellationToken)
    {
        if (AccountIds.TryFromStream(record.StreamId, out var accountId) && AccountIds.IsValid(accountId))
        {
            proposals.Apply(accountId, record);
            commands?.Apply(accountId, record);
            recentCorrections?.Apply(accountId, record);
            await timelines.ExtendAsync(accountId, record, cancellationToken);
        }

        LastPosition = record.Position;
    }
}
