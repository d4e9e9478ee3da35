using AuditDashboard.Core.Corrections;
using AuditDashboard.Core.Live;


namespace AuditDashboard.Core.Accounts;

/// <summary>
/// One catch-up subscription to every account stream, feeding the cached timelines, the correction proposals, the
/// ledger's command ids and each user's recent corrections, so each append anyone makes reaches every open page and every
/// check; beside it runs the account directory's own projection, which resumes from its durable checkpoint. Resumes
/// where it stopped after a store failure.
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
