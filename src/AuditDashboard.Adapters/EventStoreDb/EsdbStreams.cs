using System.Runtime.CompilerServices;
using AuditDashboard.Adapters.EventStoreDb.Protocol;
using Grpc.Core;
using static AuditDashboard.Adapters.EventStoreDb.EsdbReadRequests;

namespace AuditDashboard.Adapters.EventStoreDb;

/// <summary>
/// The streams part of the port over EventStoreDB's <c>event_store.client.streams.Streams</c> service: the connection
/// check, appends, stream and <c>$all</c> reads, catch-up subscriptions. Each call goes through <see cref="EsdbCalls"/>.
/// </summary>
internal sealed class EsdbStreams(EsdbCalls calls) : IEventStore
{
    /// <summary>A stream nobody writes to; reading it is the cheapest call that proves the node answers and accepts us.</summary>
    private const string ProbeStream = "audit-dashboard-connection-probe";

    /// <inheritdoc />
    /// <remarks>Discovers the cluster first when the connection string asks for it; transient failures are retried.</remarks>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => ProbeAsync(EsdbRetry.Idempotent, cancellationToken);

    /// <inheritdoc />
    /// <remarks>One attempt, no retry: a readiness check reports what it finds.</remarks>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await ProbeAsync(EsdbRetry.Never, cancellationToken);
            return true;
        }
        catch (EventStoreUnavailableException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<AppendResult> AppendAsync(string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        EventBatch.Validate(events);

        // Retried like a read: the same event ids at the same expected revision are taken once (see EsdbCalls).
        var attempts = new EsdbAttempts($"append to '{streamId}'");
        AppendResp response;
        try
        {
            response = await calls.RunAsync(EsdbRetry.Idempotent, attempts, (node, token) => AppendOnceAsync(node, streamId, expected, events, token), cancellationToken);
        }
        catch (RpcException ex)
        {
            throw calls.Translate(ex, attempts, cancellationToken);
        }

        return response.ResultCase switch
        {
            AppendResp.ResultOneofCase.Success => new AppendResult(
                response.Success.CurrentRevisionOptionCase == AppendResp.Types.Success.CurrentRevisionOptionOneofCase.CurrentRevision
                    ? checked((long)response.Success.CurrentRevision)
                    : -1,
                response.Success.PositionOptionCase == AppendResp.Types.Success.PositionOptionOneofCase.Position
                    ? checked((long)response.Success.Position.CommitPosition)
                    : -1),
            AppendResp.ResultOneofCase.WrongExpectedVersion => throw new WrongExpectedRevisionException(streamId, expected, ActualRevision(response.WrongExpectedVersion)),
            _ => throw new EventStoreUnavailableException($"EventStoreDB at {attempts.Endpoint} answered an append to '{streamId}' with neither success nor a version conflict."),
        };
    }

    private async Task<AppendResp> AppendOnceAsync(EsdbNodeChannel node, string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        using var call = node.Streams.Append(calls.Headers, calls.Deadline(), cancellationToken);
        try
        {
            await call.RequestStream.WriteAsync(EventStoreDbWire.Options(streamId, expected), cancellationToken);
            foreach (var e in events)
                await call.RequestStream.WriteAsync(EventStoreDbWire.Proposed(e), cancellationToken);
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            // The server answered before taking every message (it refused the call): its status says why.
        }
        catch (InvalidOperationException) when (!cancellationToken.IsCancellationRequested)
        {
            // Writing after the call completed: the answer below carries the reason.
        }

        return await call.ResponseAsync;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, Direction direction, long fromRevision, long maxCount, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        ArgumentOutOfRangeException.ThrowIfNegative(fromRevision);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        if (maxCount == 0)
            yield break;

        var options = new ReadReq.Types.Options.Types.StreamOptions { StreamIdentifier = EventStoreDbWire.StreamId(streamId) };
        if (direction == Direction.Backwards && fromRevision == StreamRevision.End)
            options.End = Nothing;
        else if (direction == Direction.Forwards && fromRevision == StreamRevision.Start)
            options.Start = Nothing;
        else
            options.Revision = (ulong)fromRevision;

        var request = Request(direction, (ulong)maxCount);
        request.Options.Stream = options;
        await foreach (var e in ReadEventsAsync(request, bounded: false, $"read of '{streamId}'", cancellationToken))
            yield return e;
    }

    /// <inheritdoc />
    public async Task<long?> GetLastRevisionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        var request = Request(Direction.Backwards, 1);
        request.Options.Stream = new ReadReq.Types.Options.Types.StreamOptions { StreamIdentifier = EventStoreDbWire.StreamId(streamId), End = Nothing };
        await foreach (var e in ReadEventsAsync(request, bounded: true, $"read of '{streamId}'", cancellationToken))
            return e.Revision;
        return null;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordedEvent> ReadAllAsync(Direction direction, long fromPosition, long maxCount, string? streamPrefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromPosition);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        if (maxCount == 0)
            yield break;

        var options = new ReadReq.Types.Options.Types.AllOptions();
        var backwardsFrom = direction == Direction.Backwards && fromPosition != AllPosition.End
            ? await BackwardsStartAsync(fromPosition, cancellationToken)
            : (long?)null;
        if (direction == Direction.Backwards && (fromPosition == AllPosition.End || backwardsFrom == AllPosition.End))
            options.End = Nothing;
        else if (direction == Direction.Forwards && fromPosition == AllPosition.Start)
            options.Start = Nothing;
        else
            options.Position = Position(backwardsFrom ?? fromPosition);

        var request = Request(direction, (ulong)maxCount);
        request.Options.All = options;
        Filter(request.Options, streamPrefix);
        await foreach (var e in ReadEventsAsync(request, bounded: false, "read of $all", cancellationToken))
        {
            // Reading back from the end (see BackwardsStartAsync) may meet events newer than the one asked for.
            if (backwardsFrom == AllPosition.End && e.Position > fromPosition)
                continue;
            yield return e;
        }
    }

    /// <summary>
    /// EventStoreDB reads <c>$all</c> backwards from strictly before a position; the port reads from it inclusive. The
    /// position to ask for is therefore the next event's, whatever its stream; when there is none yet, the end.
    /// </summary>
    private async Task<long> BackwardsStartAsync(long fromPosition, CancellationToken cancellationToken)
    {
        var probe = Request(Direction.Forwards, 2);
        probe.Options.All = new ReadReq.Types.Options.Types.AllOptions { Position = Position(fromPosition) };
        await foreach (var e in ReadEventsAsync(probe, bounded: false, "read of $all", cancellationToken))
        {
            if (e.Position > fromPosition)
                return e.Position;
        }

        return AllPosition.End;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<SubscriptionMessage> SubscribeToStreamAsync(string streamId, long? afterRevision, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        var options = new ReadReq.Types.Options.Types.StreamOptions { StreamIdentifier = EventStoreDbWire.StreamId(streamId) };
        if (afterRevision is { } after)
            options.Revision = checked((ulong)after);
        else
            options.Start = Nothing;

        var request = SubscriptionRequest();
        request.Options.Stream = options;
        return SubscribeAsync(request, $"subscription to '{streamId}'", cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(long? afterPosition, string? streamPrefix = null, CancellationToken cancellationToken = default)
    {
        var options = new ReadReq.Types.Options.Types.AllOptions();
        if (afterPosition is { } after)
            options.Position = Position(after);
        else
            options.Start = Nothing;

        var request = SubscriptionRequest();
        request.Options.All = options;
        Filter(request.Options, streamPrefix);
        return SubscribeAsync(request, "subscription to $all", cancellationToken);
    }

    /// <summary>Reads the probe stream (missing, normally): proves the node answers and accepts the credentials.</summary>
    private async Task ProbeAsync(EsdbRetry retry, CancellationToken cancellationToken)
    {
        var request = Request(Direction.Forwards, 1);
        request.Options.Stream = new ReadReq.Types.Options.Types.StreamOptions { StreamIdentifier = EventStoreDbWire.StreamId(ProbeStream), Start = Nothing };
        var attempts = new EsdbAttempts("connection check");
        try
        {
            await calls.RunAsync(retry, attempts, async (node, token) =>
            {
                using var call = node.Streams.Read(request, calls.Headers, calls.Deadline(), token);
                while (await call.ResponseStream.MoveNext(token))
                {
                }

                return true;
            }, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw calls.Translate(ex, attempts, cancellationToken);
        }
    }

    /// <summary>The events of a finite read; a missing stream reads as empty.</summary>
    private async IAsyncEnumerable<RecordedEvent> ReadEventsAsync(ReadReq request, bool bounded, string what, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var read in ReadRawAsync(request, bounded, what, cancellationToken))
            yield return EventStoreDbWire.ToRecorded(read);
    }

    /// <summary>
    /// The read answers that carry an event (with its link, when links are resolved); a missing stream reads as empty.
    /// Retried until the first answer came, never after (the caller may have seen events by then).
    /// </summary>
    public async IAsyncEnumerable<ReadResp.Types.ReadEvent> ReadRawAsync(ReadReq request, bool bounded, string what, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var attempts = new EsdbAttempts(what);
        EsdbOpenRead read;
        try
        {
            read = await OpenReadAsync(request, bounded, attempts, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw calls.Translate(ex, attempts, cancellationToken);
        }

        using (read)
        {
            var more = read.HasAnswer;
            while (more)
            {
                var response = read.Responses.Current;
                switch (response.ContentCase)
                {
                    case ReadResp.ContentOneofCase.Event:
                        yield return response.Event;
                        break;
                    case ReadResp.ContentOneofCase.StreamNotFound:
                        yield break;
                    default:
                        // Positions, checkpoints and anything newer than this adapter carry no event.
                        break;
                }

                try
                {
                    more = await read.Responses.MoveNext(cancellationToken);
                }
                catch (RpcException ex)
                {
                    throw calls.Translate(ex, what, read.Endpoint, 1, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// A catch-up subscription: history, a CaughtUp marker from the server, live events; ends quietly when cancelled.
    /// Its start is retried; once it runs, a drop ends it with an <see cref="EventStoreUnavailableException"/> and the
    /// consumer subscribes again after the last event it processed.
    /// </summary>
    private async IAsyncEnumerable<SubscriptionMessage> SubscribeAsync(ReadReq request, string what, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            yield break;

        var attempts = new EsdbAttempts(what);
        EsdbOpenRead? opened = null;
        try
        {
            opened = await OpenReadAsync(request, bounded: false, attempts, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
        }
        catch (RpcException ex)
        {
            throw calls.Translate(ex, attempts, cancellationToken);
        }

        if (opened is null)
            yield break;

        using var read = opened;
        var more = read.HasAnswer;
        while (more)
        {
            var response = read.Responses.Current;
            switch (response.ContentCase)
            {
                case ReadResp.ContentOneofCase.Event:
                    yield return new SubscriptionMessage.EventAppeared(EventStoreDbWire.ToRecorded(response.Event));
                    break;
                case ReadResp.ContentOneofCase.CaughtUp:
                    yield return new SubscriptionMessage.CaughtUp();
                    break;
                default:
                    // Confirmation, checkpoints of filtered subscriptions: nothing for the caller.
                    break;
            }

            more = await NextAsync(read, what, cancellationToken);
        }
    }

    /// <summary>The subscription's next answer: false when it ended or was cancelled.</summary>
    private async Task<bool> NextAsync(EsdbOpenRead read, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await read.Responses.MoveNext(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (RpcException ex)
        {
            throw calls.Translate(ex, what, read.Endpoint, 1, cancellationToken);
        }
    }

    /// <summary>A Read call that gave its first answer (or ended without one), retried until then.</summary>
    private Task<EsdbOpenRead> OpenReadAsync(ReadReq request, bool bounded, EsdbAttempts attempts, CancellationToken cancellationToken) =>
        calls.RunAsync(EsdbRetry.Idempotent, attempts, async (node, _) =>
        {
            // The call outlives this attempt: it takes its own hold on the channel, and the caller's token.
            var lease = node.Lease();
            var call = node.Streams.Read(request, calls.Headers, bounded ? calls.Deadline() : null, cancellationToken);
            try
            {
                var more = await call.ResponseStream.MoveNext(cancellationToken);
                return new EsdbOpenRead(lease, call, more);
            }
            catch
            {
                call.Dispose();
                lease.Dispose();
                throw;
            }
        }, cancellationToken);

    private static long? ActualRevision(AppendResp.Types.WrongExpectedVersion conflict) => conflict.CurrentRevisionOptionCase switch
    {
        AppendResp.Types.WrongExpectedVersion.CurrentRevisionOptionOneofCase.CurrentRevision => checked((long)conflict.CurrentRevision),
        AppendResp.Types.WrongExpectedVersion.CurrentRevisionOptionOneofCase.CurrentNoStream => null,

        // A server older than 20.6 fills only the first layout.
        _ => conflict.CurrentRevisionOption2060Case == AppendResp.Types.WrongExpectedVersion.CurrentRevisionOption2060OneofCase.CurrentRevision2060
            ? checked((long)conflict.CurrentRevision2060)
            : null,
    };
}
