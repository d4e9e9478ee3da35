using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using AuditDashboard.EventStore;
using AuditDashboard.EventStoreDb.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace AuditDashboard.EventStoreDb;

/// <summary>
/// <see cref="IEventStore"/> over EventStoreDB / KurrentDB's public v1 gRPC protocol (service
/// <c>event_store.client.streams.Streams</c>): appends, stream and <c>$all</c> reads, catch-up subscriptions.
/// </summary>
/// <remarks>
/// Talks to one node: the first of the connection string's hosts that answers <see cref="InitializeAsync"/>. There is no
/// gossip discovery, leader tracking or retry. Persistent subscriptions to <c>$all</c> (<see cref="IPersistentSubscriptions"/>)
/// are in EventStoreDbEventStore.Persistent.cs.
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
    private readonly Metadata _headers = [];
    private readonly Lock _gate = new();
    private GrpcChannel? _channel;
    private Streams.StreamsClient? _client;
    private Protocol.Persistent.PersistentSubscriptions.PersistentSubscriptionsClient? _persistent;
    private EsdbEndpoint _endpoint;
    private bool _disposed;

    /// <param name="handlerFactory">The HTTP handler for a node (tests); null: a <see cref="SocketsHttpHandler"/> per the settings.</param>
    public EventStoreDbEventStore(EsdbConnectionString settings, Func<EsdbEndpoint, HttpMessageHandler>? handlerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _handlerFactory = handlerFactory;
        _endpoint = settings.Hosts[0];
        if (settings.UserName is not null)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.UserName}:{settings.Password}"));
            _headers.Add("authorization", new AuthenticationHeaderValue("Basic", basic).ToString());
        }
    }

    public EventStoreDbEventStore(string connectionString)
        : this(EsdbConnectionString.Parse(connectionString))
    {
    }

    /// <summary>The node this store talks to.</summary>
    public EsdbEndpoint Endpoint => _endpoint;

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        var failures = new List<string>();
        foreach (var endpoint in _settings.Hosts)
        {
            var client = Connect(endpoint);
            try
            {
                await ProbeAsync(client, cancellationToken);
                return;
            }
            catch (EventStoreUnavailableException ex)
            {
                failures.Add(ex.Message);
            }
        }

        throw new EventStoreUnavailableException(
            failures.Count == 1 ? failures[0] : $"No EventStoreDB node answered: {string.Join(" ", failures)}");
    }

    /// <inheritdoc />
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await ProbeAsync(Client, cancellationToken);
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

        AppendResp response;
        try
        {
            using var call = Client.Append(_headers, Deadline(), cancellationToken);
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

            response = await call.ResponseAsync;
        }
        catch (RpcException ex)
        {
            throw Translate(ex, $"append to '{streamId}'", cancellationToken);
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
            _ => throw new EventStoreUnavailableException($"EventStoreDB at {_endpoint} answered an append to '{streamId}' with neither success nor a version conflict."),
        };
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
        await foreach (var e in ReadEventsAsync(request, deadline: null, $"read of '{streamId}'", cancellationToken))
            yield return e;
    }

    /// <inheritdoc />
    public async Task<long?> GetLastRevisionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        var request = Request(Direction.Backwards, 1);
        request.Options.Stream = new ReadReq.Types.Options.Types.StreamOptions { StreamIdentifier = EventStoreDbWire.StreamId(streamId), End = Nothing };
        await foreach (var e in ReadEventsAsync(request, Deadline(), $"read of '{streamId}'", cancellationToken))
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
        await foreach (var e in ReadEventsAsync(request, deadline: null, "read of $all", cancellationToken))
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
        await foreach (var e in ReadEventsAsync(probe, deadline: null, "read of $all", cancellationToken))
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
        lock (_gate)
        {
            _disposed = true;
            _channel?.Dispose();
            _channel = null;
            _client = null;
            _persistent = null;
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private Streams.StreamsClient Client
    {
        get
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return _client ?? ConnectLocked(_endpoint);
            }
        }
    }

    private Streams.StreamsClient Connect(EsdbEndpoint endpoint)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return ConnectLocked(endpoint);
        }
    }

    /// <summary>Points this store at <paramref name="endpoint"/>; the channel connects lazily, on the first call.</summary>
    private Streams.StreamsClient ConnectLocked(EsdbEndpoint endpoint)
    {
        if (_client is not null && _endpoint == endpoint)
            return _client;

        _channel?.Dispose();
        var scheme = _settings.Tls ? "https" : "http";
        _channel = GrpcChannel.ForAddress(new UriBuilder(scheme, endpoint.Host, endpoint.Port).Uri, new GrpcChannelOptions
        {
            HttpHandler = _handlerFactory?.Invoke(endpoint) ?? CreateHandler(),
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        _endpoint = endpoint;
        _client = new Streams.StreamsClient(_channel);
        _persistent = new Protocol.Persistent.PersistentSubscriptions.PersistentSubscriptionsClient(_channel);
        return _client;
    }

    private SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = _settings.DefaultDeadline,
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

    private async Task ProbeAsync(Streams.StreamsClient client, CancellationToken cancellationToken)
    {
        var request = Request(Direction.Forwards, 1);
        request.Options.Stream = new ReadReq.Types.Options.Types.StreamOptions { StreamIdentifier = EventStoreDbWire.StreamId(ProbeStream), Start = Nothing };
        try
        {
            using var call = client.Read(request, _headers, Deadline(), cancellationToken);
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
            }
        }
        catch (RpcException ex)
        {
            throw Translate(ex, "connection check", cancellationToken);
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
    private async IAsyncEnumerable<RecordedEvent> ReadEventsAsync(ReadReq request, DateTime? deadline, string what, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var read in ReadRawAsync(request, deadline, what, cancellationToken))
            yield return EventStoreDbWire.ToRecorded(read);
    }

    /// <summary>The read answers that carry an event (with its link, when links are resolved); a missing stream reads as empty.</summary>
    private async IAsyncEnumerable<ReadResp.Types.ReadEvent> ReadRawAsync(ReadReq request, DateTime? deadline, string what, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = Client.Read(request, _headers, deadline, cancellationToken);
        var responses = call.ResponseStream;
        while (true)
        {
            try
            {
                if (!await responses.MoveNext(cancellationToken))
                    yield break;
            }
            catch (RpcException ex)
            {
                throw Translate(ex, what, cancellationToken);
            }

            var response = responses.Current;
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
        }
    }

    /// <summary>A catch-up subscription: history, a CaughtUp marker from the server, live events; ends quietly when cancelled.</summary>
    private async IAsyncEnumerable<SubscriptionMessage> SubscribeAsync(ReadReq request, string what, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            yield break;

        using var call = Client.Read(request, _headers, deadline: null, cancellationToken);
        var responses = call.ResponseStream;
        while (true)
        {
            try
            {
                if (!await responses.MoveNext(cancellationToken))
                    yield break;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            catch (RpcException ex)
            {
                throw Translate(ex, what, cancellationToken);
            }

            var response = responses.Current;
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
        }
    }

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

    /// <summary>What a failed call means for the caller: the store is unusable (an operator can act), or a bad request.</summary>
    private Exception Translate(RpcException ex, string what, CancellationToken cancellationToken)
    {
        if (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            return new OperationCanceledException(ex.Message, ex, cancellationToken);

        var serverException = ex.Trailers.GetValue("exception");
        var where = $"EventStoreDB at {_endpoint}";
        return ex.StatusCode switch
        {
            StatusCode.Unavailable => new EventStoreUnavailableException($"{where} could not be reached for the {what}: {ex.Status.Detail}", ex),
            StatusCode.DeadlineExceeded => new EventStoreUnavailableException($"{where} did not answer the {what} within {_settings.DefaultDeadline.TotalSeconds:0.#} s (defaultDeadline).", ex),
            StatusCode.Unauthenticated => new EventStoreUnavailableException($"{where} refused the credentials of the connection string for the {what}.", ex),
            StatusCode.PermissionDenied => new EventStoreUnavailableException($"{where} denied the {what} to the connection string's user ({serverException ?? ex.Status.Detail}).", ex),
            StatusCode.InvalidArgument => new ArgumentException($"{where} refused the {what} as invalid: {ex.Status.Detail}", ex),
            _ when serverException == "not-leader" => new EventStoreUnavailableException($"{where} is not the cluster leader; point the connection string at the leader node (cluster discovery is not supported yet).", ex),
            _ => new EventStoreUnavailableException($"{where} failed the {what}: {ex.StatusCode} {serverException} {ex.Status.Detail}".TrimEnd(), ex),
        };
    }
}
