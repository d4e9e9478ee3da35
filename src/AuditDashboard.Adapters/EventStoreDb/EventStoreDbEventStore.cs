using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using AuditDashboard.EventStore;
using AuditDashboard.EventStoreDb.Protocol;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace AuditDashboard.EventStoreDb;

/// <summary>
/// <see cref="IEventStore"/> over EventStoreDB / KurrentDB's public v1 gRPC protocol (service
/// <c>event_store.client.streams.Streams</c>): appends, stream and <c>$all</c> reads, catch-up subscriptions.
/// </summary>
/// <remarks>
/// Talks to one node at a time: the connection string's node, or the member gossip discovery picks, or the leader a
/// follower names (EventStoreDbEventStore.Cluster.cs); transient failures are retried (EventStoreDbEventStore.Resilience.cs).
/// Persistent subscriptions to <c>$all</c> (<see cref="IPersistentSubscriptions"/>) are in EventStoreDbEventStore.Persistent.cs.
/// </remarks>
public sealed partial class EventStoreDbEventStore : IEventStore, IAsyncDisposable, IDisposable
{
    /// <summary>A stream nobody writes to; reading it is the cheapest call that proves the node answers and accepts us.</summary>
    private const string ProbeStream = "audit-dashboard-connection-probe";

    /// <summary>How many records the server may scan per answer of a filtered $all read or subscription.</summary>
    private const uint FilterWindow = 32;

    private static readonly Empty Nothing = new();

    private readonly EsdbConnectionString _settings;
    private readonly Func<EsdbEndpoint, HttpMessageHandler>? _handlerFactory;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly Metadata _headers = [];
    private readonly Lock _gate = new();
    private EsdbEndpoint _endpoint;
    private bool _disposed;

    /// <param name="settings">The parsed connection string.</param>
    /// <param name="handlerFactory">The HTTP handler for a node (tests); null: a <see cref="SocketsHttpHandler"/> per the settings.</param>
    /// <param name="logger">Where retries, discovery and leader changes are logged; null: nowhere.</param>
    public EventStoreDbEventStore(EsdbConnectionString settings, Func<EsdbEndpoint, HttpMessageHandler>? handlerFactory = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _handlerFactory = handlerFactory;
        _logger = logger ?? NullLogger.Instance;
        _pipeline = BuildPipeline();
        _endpoint = settings.Hosts[0];
        if (settings.UserName is not null)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.UserName}:{settings.Password}"));
            _headers.Add("authorization", new AuthenticationHeaderValue("Basic", basic).ToString());
        }

        // A follower answers such calls with "not leader" and the leader's address, which the store then follows.
        if (settings.NodePreference == EsdbNodePreference.Leader)
            _headers.Add("requires-leader", "true");
    }

    public EventStoreDbEventStore(string connectionString)
        : this(EsdbConnectionString.Parse(connectionString))
    {
    }

    /// <summary>The nodes the connection string names (seeds of a cluster, or the single node).</summary>
    public IReadOnlyList<EsdbEndpoint> Hosts => _settings.Hosts;

    /// <summary>The node this store talks to (or, before the first call, will talk to or discover through).</summary>
    public EsdbEndpoint Endpoint
    {
        get
        {
            lock (_gate)
                return _endpoint;
        }
    }

    /// <inheritdoc />
    /// <remarks>Discovers the cluster first when the connection string asks for it; transient failures are retried.</remarks>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => ProbeAsync(Retry.Idempotent, cancellationToken);

    /// <inheritdoc />
    /// <remarks>One attempt, no retry: a readiness check reports what it finds.</remarks>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await ProbeAsync(Retry.Never, cancellationToken);
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
        ValidateEvents(events);

        // Retried like a read: the same event ids at the same expected revision are taken once (see the Resilience part).
        var attempts = new Attempts($"append to '{streamId}'");
        AppendResp response;
        try
        {
            response = await RunAsync(Retry.Idempotent, attempts, (node, token) => AppendOnceAsync(node, streamId, expected, events, token), cancellationToken);
        }
        catch (RpcException ex)
        {
            throw Translate(ex, attempts, cancellationToken);
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

    private async Task<AppendResp> AppendOnceAsync(NodeChannel node, string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        using var call = node.Streams.Append(_headers, Deadline(), cancellationToken);
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

    public void Dispose()
    {
        NodeChannel[] open;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _node = null;
            open = [.. _open];
        }

        // Every channel, also those a running call still holds: disposing the store ends its calls.
        foreach (var node in open)
            node.Close();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private SocketsHttpHandler CreateHandler(TimeSpan? connectTimeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = connectTimeout ?? _settings.DefaultDeadline,
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        if (_settings.Tls && !_settings.TlsVerifyCert)
        {
            // Asked for explicitly with tlsVerifyCert=false: development servers with self-signed certificates.
#pragma warning disable CA5359 // The operator turned certificate checks off on purpose.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        return handler;
    }

    private DateTime Deadline() => DateTime.UtcNow + _settings.DefaultDeadline;

    /// <summary>Reads the probe stream (missing, normally): proves the node answers and accepts the credentials.</summary>
    private async Task ProbeAsync(Retry retry, CancellationToken cancellationToken)
    {
        var request = Request(Direction.Forwards, 1);
        request.Options.Stream = new ReadReq.Types.Options.Types.StreamOptions { StreamIdentifier = EventStoreDbWire.StreamId(ProbeStream), Start = Nothing };
        var attempts = new Attempts("connection check");
        try
        {
            await RunAsync(retry, attempts, async (node, token) =>
            {
                using var call = node.Streams.Read(request, _headers, Deadline(), token);
                while (await call.ResponseStream.MoveNext(token))
                {
                }

                return true;
            }, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw Translate(ex, attempts, cancellationToken);
        }
    }

    private static ReadReq Request(Direction direction, ulong count) => new()
    {
        Options = new ReadReq.Types.Options
        {
            ReadDirection = direction == Direction.Forwards ? ReadReq.Types.Options.Types.ReadDirection.Forwards : ReadReq.Types.Options.Types.ReadDirection.Backwards,
            ResolveLinks = false,
            Count = count,
            NoFilter = Nothing,
            UuidOption = new ReadReq.Types.Options.Types.UUIDOption { Structured = Nothing },
        },
    };

    private static ReadReq SubscriptionRequest()
    {
        var request = Request(Direction.Forwards, 0);
        request.Options.Subscription = new ReadReq.Types.Options.Types.SubscriptionOptions();
        return request;
    }

    private static ReadReq.Types.Options.Types.Position Position(long position) =>
        // The port keeps only the commit position; EventStoreDB's positions are (commit, prepare) pairs, and the
        // first event of a commit has both equal.
        new() { CommitPosition = (ulong)position, PreparePosition = (ulong)position };

    /// <summary>A server-side filter on the stream id prefix; none for a null or empty prefix.</summary>
    private static void Filter(ReadReq.Types.Options options, string? streamPrefix)
    {
        if (string.IsNullOrEmpty(streamPrefix))
            return;

        options.Filter = new ReadReq.Types.Options.Types.FilterOptions
        {
            StreamIdentifier = new ReadReq.Types.Options.Types.FilterOptions.Types.Expression { Prefix = { streamPrefix } },
            Max = FilterWindow,
            // Subscriptions get a checkpoint after every window scanned; this adapter ignores checkpoints.
            CheckpointIntervalMultiplier = 1,
        };
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
    private async IAsyncEnumerable<ReadResp.Types.ReadEvent> ReadRawAsync(ReadReq request, bool bounded, string what, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var attempts = new Attempts(what);
        OpenRead read;
        try
        {
            read = await OpenReadAsync(request, bounded, attempts, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw Translate(ex, attempts, cancellationToken);
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
                    throw Translate(ex, what, read.Endpoint, 1, cancellationToken);
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

        var attempts = new Attempts(what);
        OpenRead? opened = null;
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
            throw Translate(ex, attempts, cancellationToken);
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
    private async Task<bool> NextAsync(OpenRead read, string what, CancellationToken cancellationToken)
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
            throw Translate(ex, what, read.Endpoint, 1, cancellationToken);
        }
    }

    /// <summary>A Read call that gave its first answer (or ended without one), retried until then.</summary>
    private Task<OpenRead> OpenReadAsync(ReadReq request, bool bounded, Attempts attempts, CancellationToken cancellationToken) =>
        RunAsync(Retry.Idempotent, attempts, async (node, _) =>
        {
            // The call outlives this attempt: it takes its own hold on the channel, and the caller's token.
            var lease = node.Lease();
            var call = node.Streams.Read(request, _headers, bounded ? Deadline() : null, cancellationToken);
            try
            {
                var more = await call.ResponseStream.MoveNext(cancellationToken);
                return new OpenRead(lease, call, more);
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

    private static void ValidateEvents(IReadOnlyList<EventData> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var ids = new HashSet<Guid>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i] ?? throw new ArgumentException($"Event {i} is null.", nameof(events));
            if (string.IsNullOrEmpty(e.EventType))
                throw new ArgumentException($"Event {i} ({e.EventId}) has no event type.", nameof(events));
            if (!ids.Add(e.EventId))
                throw new ArgumentException($"Event id {e.EventId} appears more than once in the batch.", nameof(events));
        }
    }

    private Exception Translate(RpcException ex, Attempts attempts, CancellationToken cancellationToken) =>
        Translate(ex, attempts.What, attempts.Endpoint ?? Endpoint, attempts.Count, cancellationToken);

    /// <summary>What a failed call means for the caller: the store is unusable (an operator can act), or a bad request.</summary>
    private Exception Translate(RpcException ex, string what, EsdbEndpoint endpoint, int attempts, CancellationToken cancellationToken)
    {
        if (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            return new OperationCanceledException(ex.Message, ex, cancellationToken);

        var serverException = ex.Trailers.GetValue("exception");
        var where = $"EventStoreDB at {endpoint}";
        var tries = attempts > 1 ? $" (after {attempts} attempts)" : "";
        return ex.StatusCode switch
        {
            _ when serverException == "stream-deleted" => new StreamDeletedException(
                ex.Trailers.GetValue("stream-name") ?? "",
                $"{where} refused the {what}: the stream '{ex.Trailers.GetValue("stream-name")}' was deleted for good (tombstoned); nothing was written.",
                ex),
            _ when serverException == "maximum-append-size-exceeded" => new EventTooLargeException(
                long.TryParse(ex.Trailers.GetValue("maximum-append-size"), NumberStyles.None, CultureInfo.InvariantCulture, out var maximum)
                    ? $"{where} refused the {what}: it is larger than the {maximum:N0} bytes the server accepts in one append; nothing was written."
                    : $"{where} refused the {what}: it is larger than the server accepts in one append; nothing was written.",
                maximum > 0 ? maximum : (long?)null,
                ex),
            _ when serverException == NotLeaderException => new EventStoreUnavailableException(
                LeaderOf(ex) is { } leader
                    ? $"{where} is not the cluster leader and sent the {what} on to {leader}, which did not take it either{tries}; the cluster may be electing a leader."
                    : $"{where} is not the cluster leader and knows no leader to send the {what} to{tries}; the cluster may be electing a leader.",
                ex),
            StatusCode.Unavailable => new EventStoreUnavailableException($"{where} could not be reached for the {what}{tries}: {ex.Status.Detail}", ex),
            StatusCode.DeadlineExceeded => new EventStoreUnavailableException($"{where} did not answer the {what} within {_settings.DefaultDeadline.TotalSeconds:0.#} s (defaultDeadline){tries}.", ex),
            StatusCode.Unauthenticated => new EventStoreUnavailableException($"{where} refused the credentials of the connection string for the {what}.", ex),
            StatusCode.PermissionDenied => new EventStoreUnavailableException($"{where} denied the {what} to the connection string's user ({serverException ?? ex.Status.Detail}).", ex),
            StatusCode.InvalidArgument => new ArgumentException($"{where} refused the {what} as invalid: {ex.Status.Detail}", ex),
            _ => new EventStoreUnavailableException($"{where} failed the {what}: {ex.StatusCode} {serverException} {ex.Status.Detail}".TrimEnd(), ex),
        };
    }

    /// <summary>A Read call positioned on its first answer, with the hold on the channel it runs on.</summary>
    private sealed class OpenRead(NodeLease lease, AsyncServerStreamingCall<ReadResp> call, bool hasAnswer) : IDisposable
    {
        public bool HasAnswer => hasAnswer;

        public IAsyncStreamReader<ReadResp> Responses => call.ResponseStream;

        public EsdbEndpoint Endpoint => lease.Node.Endpoint;

        public void Dispose()
        {
            call.Dispose();
            lease.Dispose();
        }
    }
}
