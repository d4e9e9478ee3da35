using System.Diagnostics;
using System.Globalization;
using AuditDashboard.Adapters.EventStoreDb.Protocol.Persistent;
using Google.Protobuf;
using Grpc.Core;
using Empty = AuditDashboard.Adapters.EventStoreDb.Protocol.Empty;
using StreamIdentifier = AuditDashboard.Adapters.EventStoreDb.Protocol.StreamIdentifier;

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// The server side of EventStoreDB's v1 <c>PersistentSubscriptions</c> service for <c>$all</c> groups, over the test
/// store's <see cref="IPersistentSubscriptions"/>. It answers as EventStoreDB does as far as the adapter relies on it:
/// AlreadyExists / NotFound statuses with the server's "exception" trailer, a confirmation before the first event, the
/// retry count on every event, a dropped consumer's call ending with Cancelled, a group info without the filter and with
/// positions as "C:&lt;commit&gt;/P:&lt;prepare&gt;" text, updates that keep the group's filter.
/// </summary>
/// <remarks>
/// Delivery semantics are the SQLite store's, not a copy of the server's: one consumer per group at a time (a new one
/// waits until the previous connection is cleaned up), parked events leave the parked list when acknowledged after a
/// replay (EventStoreDB truncates the parked stream once the replay is dispatched), and the server-only settings (message
/// timeout, checkpoint counts, buffer sizes, consumer strategy) are checked for presence but not applied.
/// </remarks>
internal sealed class PersistentSubscriptionsFacade(IEventStore store) : PersistentSubscriptions.PersistentSubscriptionsBase
{
    private const string ParkedPrefix = "$persistentsubscription-$all::";
    private const string ParkedSuffix = "-parked";
    private static readonly Empty Nothing = new();

    /// <summary>The group whose parked stream <paramref name="streamId"/> is, or null.</summary>
    public static string? ParkedGroupOf(string streamId) =>
        streamId.Length > ParkedPrefix.Length + ParkedSuffix.Length
        && streamId.StartsWith(ParkedPrefix, StringComparison.Ordinal)
        && streamId.EndsWith(ParkedSuffix, StringComparison.Ordinal)
            ? streamId[ParkedPrefix.Length..^ParkedSuffix.Length]
            : null;

    private IPersistentSubscriptions Groups => store as IPersistentSubscriptions
        ?? throw new RpcException(new Status(StatusCode.Unimplemented, "The test store has no persistent subscriptions."));

    public override async Task<CreateResp> Create(CreateReq request, ServerCallContext context)
    {
        var options = request.Options;
        if (options?.StreamOptionCase != CreateReq.Types.Options.StreamOptionOneofCase.All)
            throw new RpcException(new Status(StatusCode.Unimplemented, "The test server serves $all groups only."));
        var settings = options.Settings ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "Settings are required."));
        RequireServerSettings(settings.MessageTimeoutCase != CreateReq.Types.Settings.MessageTimeoutOneofCase.None, settings.CheckpointAfterCase != CreateReq.Types.Settings.CheckpointAfterOneofCase.None, settings.ReadBatchSize, settings.HistoryBufferSize, settings.LiveBufferSize);

        var all = options.All;
        var start = all.AllOptionCase switch
        {
            CreateReq.Types.AllOptions.AllOptionOneofCase.Position => (long?)checked((long)all.Position.CommitPosition),
            CreateReq.Types.AllOptions.AllOptionOneofCase.End => await LastPositionAsync(context.CancellationToken),
            _ => null,
        };
        var prefix = all.FilterOptionCase == CreateReq.Types.AllOptions.FilterOptionOneofCase.Filter ? Prefix(all.Filter) : null;

        try
        {
            await Groups.CreateToAllAsync(options.GroupName, new PersistentSubscriptionSettings(prefix, start, settings.MaxRetryCount), context.CancellationToken);
        }
        catch (PersistentSubscriptionExistsException ex)
        {
            throw Failure(StatusCode.AlreadyExists, "persistent-subscription-exists", ex.Message);
        }

        return new CreateResp();
    }

    public override async Task<UpdateResp> Update(UpdateReq request, ServerCallContext context)
    {
        var options = request.Options;
        if (options?.StreamOptionCase != UpdateReq.Types.Options.StreamOptionOneofCase.All)
            throw new RpcException(new Status(StatusCode.Unimplemented, "The test server serves $all groups only."));
        var settings = options.Settings ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "Settings are required."));
        RequireServerSettings(settings.MessageTimeoutCase != UpdateReq.Types.Settings.MessageTimeoutOneofCase.None, settings.CheckpointAfterCase != UpdateReq.Types.Settings.CheckpointAfterOneofCase.None, settings.ReadBatchSize, settings.HistoryBufferSize, settings.LiveBufferSize);

        var ct = context.CancellationToken;
        var current = await Groups.GetInfoToAllAsync(options.GroupName, ct) ?? throw NotFound(options.GroupName);
        var all = options.All;
        var start = all.AllOptionCase switch
        {
            UpdateReq.Types.AllOptions.AllOptionOneofCase.Position => (long?)checked((long)all.Position.CommitPosition),
            UpdateReq.Types.AllOptions.AllOptionOneofCase.End => await LastPositionAsync(ct),
            _ => null,
        };

        try
        {
            // The update carries no filter: the group keeps the one it was created with.
            await Groups.UpdateToAllAsync(options.GroupName, new PersistentSubscriptionSettings(current.Settings.StreamPrefix, start, settings.MaxRetryCount), ct);
        }
        catch (PersistentSubscriptionNotFoundException)
        {
            throw NotFound(options.GroupName);
        }

        return new UpdateResp();
    }

    public override async Task<DeleteResp> Delete(DeleteReq request, ServerCallContext context)
    {
        var options = RequireAll(request.Options?.StreamOptionCase == DeleteReq.Types.Options.StreamOptionOneofCase.All, request.Options);
        try
        {
            await Groups.DeleteToAllAsync(options.GroupName, context.CancellationToken);
        }
        catch (PersistentSubscriptionNotFoundException)
        {
            throw NotFound(options.GroupName);
        }

        return new DeleteResp();
    }

    public override async Task<GetInfoResp> GetInfo(GetInfoReq request, ServerCallContext context)
    {
        var options = RequireAll(request.Options?.StreamOptionCase == GetInfoReq.Types.Options.StreamOptionOneofCase.All, request.Options);
        var info = await Groups.GetInfoToAllAsync(options.GroupName, context.CancellationToken) ?? throw NotFound(options.GroupName);
        var answer = new SubscriptionInfo
        {
            EventSource = "$all",
            GroupName = info.GroupName,
            Status = "Live",
            LastCheckpointedEventPosition = info.CheckpointPosition is { } checkpoint ? Position(checkpoint) : "",
            ResolveLinkTos = false,
            StartFrom = Position(info.Settings.StartAfter ?? 0),
            MaxRetryCount = info.Settings.MaxRetryCount,
            NamedConsumerStrategy = "RoundRobin",
            ParkedMessageCount = info.ParkedCount,
        };
        for (var i = 0; i < info.ConnectionCount; i++)
            answer.Connections.Add(new SubscriptionInfo.Types.ConnectionInfo { From = "127.0.0.1", ConnectionName = $"connection-{i}" });
        return new GetInfoResp { SubscriptionInfo = answer };
    }

    public override async Task<ReplayParkedResp> ReplayParked(ReplayParkedReq request, ServerCallContext context)
    {
        var options = RequireAll(request.Options?.StreamOptionCase == ReplayParkedReq.Types.Options.StreamOptionOneofCase.All, request.Options);
        if (options.StopAtOptionCase == ReplayParkedReq.Types.Options.StopAtOptionOneofCase.StopAt)
            throw new RpcException(new Status(StatusCode.Unimplemented, "The test server replays every parked event (no_limit)."));
        try
        {
            await Groups.ReplayParkedAsync(options.GroupName, context.CancellationToken);
        }
        catch (PersistentSubscriptionNotFoundException)
        {
            throw NotFound(options.GroupName);
        }

        return new ReplayParkedResp();
    }

    public override async Task Read(IAsyncStreamReader<ReadReq> requestStream, IServerStreamWriter<ReadResp> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (!await requestStream.MoveNext(ct) || requestStream.Current.ContentCase != ReadReq.ContentOneofCase.Options)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The first message of a persistent subscription read must carry the options."));
        var options = requestStream.Current.Options;
        if (options.StreamOptionCase != ReadReq.Types.Options.StreamOptionOneofCase.All)
            throw new RpcException(new Status(StatusCode.Unimplemented, "The test server serves $all groups only."));
        if (options.BufferSize < 1)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The buffer size must be at least 1."));
        var structured = options.UuidOption?.ContentCase == ReadReq.Types.Options.Types.UUIDOption.ContentOneofCase.Structured;

        await using var subscription = await ConnectAsync(options.GroupName, options.BufferSize, ct);
        await responseStream.WriteAsync(new ReadResp { SubscriptionConfirmation = new ReadResp.Types.SubscriptionConfirmation { SubscriptionId = $"$all::{options.GroupName}" } }, ct);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var answers = TakeAnswersAsync(requestStream, subscription, stop);
        try
        {
            await foreach (var e in subscription.ReadAsync(stop.Token))
                await responseStream.WriteAsync(Event(e, structured), stop.Token);
        }
        catch (PersistentSubscriptionDroppedException ex)
        {
            throw Failure(StatusCode.Cancelled, "persistent-subscription-dropped", ex.Message);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client left (or asked to stop).
        }
        finally
        {
            await stop.CancelAsync();
            await answers.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Acks and nacks from the client, until it ends its side of the call (then the connection stops).</summary>
    private static async Task TakeAnswersAsync(IAsyncStreamReader<ReadReq> requestStream, IPersistentSubscription subscription, CancellationTokenSource stop)
    {
        try
        {
            while (await requestStream.MoveNext(stop.Token))
            {
                var message = requestStream.Current;
                switch (message.ContentCase)
                {
                    case ReadReq.ContentOneofCase.Ack:
                        await subscription.AckAsync([.. message.Ack.Ids.Select(StreamsFacade.ToGuid)], stop.Token);
                        break;
                    case ReadReq.ContentOneofCase.Nack when message.Nack.Action == ReadReq.Types.Nack.Types.Action.Stop:
                        return;
                    case ReadReq.ContentOneofCase.Nack:
                        var action = message.Nack.Action switch
                        {
                            ReadReq.Types.Nack.Types.Action.Park => NackAction.Park,
                            ReadReq.Types.Nack.Types.Action.Skip => NackAction.Skip,
                            _ => NackAction.Retry, // Retry, and Unknown as the server treats it
                        };
                        await subscription.NackAsync(action, message.Nack.Reason, [.. message.Nack.Ids.Select(StreamsFacade.ToGuid)], stop.Token);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException or PersistentSubscriptionDroppedException)
        {
            // The call ended.
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    /// <summary>
    /// Connects to the store's group. The store serves one consumer per group, and a client that just left may not be
    /// cleaned up yet (EventStoreDB would take both): wait for it a little.
    /// </summary>
    private async Task<IPersistentSubscription> ConnectAsync(string group, int bufferSize, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await Groups.SubscribeToAllAsync(group, bufferSize, ct);
            }
            catch (PersistentSubscriptionNotFoundException)
            {
                throw NotFound(group);
            }
            catch (InvalidOperationException) when (clock.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(20, ct);
            }
        }
    }

    private async Task<long?> LastPositionAsync(CancellationToken ct) =>
        await store.ReadAllAsync(Direction.Backwards, AllPosition.End, 1, null, ct).Select(e => (long?)e.Position).FirstOrDefaultAsync(ct);

    private static string Position(long position) => string.Create(CultureInfo.InvariantCulture, $"C:{position}/P:{position}");

    private static void RequireServerSettings(bool messageTimeout, bool checkpointAfter, int readBatchSize, int historyBufferSize, int liveBufferSize)
    {
        if (!messageTimeout || !checkpointAfter)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The message timeout and the checkpoint interval are required."));
        if (readBatchSize <= 0 || readBatchSize >= historyBufferSize || readBatchSize >= liveBufferSize)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The read batch size must be positive and below the history and live buffer sizes."));
    }

    private static string? Prefix(CreateReq.Types.AllOptions.Types.FilterOptions filter)
    {
        if (filter.FilterCase != CreateReq.Types.AllOptions.Types.FilterOptions.FilterOneofCase.StreamIdentifier
            || filter.StreamIdentifier.Prefix.Count != 1
            || filter.StreamIdentifier.Regex.Length > 0)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "The test server filters on exactly one stream-id prefix."));
        }

        if (filter.WindowCase == CreateReq.Types.AllOptions.Types.FilterOptions.WindowOneofCase.None || filter.CheckpointIntervalMultiplier == 0)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "A filter needs a window and a checkpoint interval multiplier above 0."));
        return filter.StreamIdentifier.Prefix[0];
    }

    private static T RequireAll<T>(bool isAll, T? options)
        where T : class =>
        isAll && options is not null ? options : throw new RpcException(new Status(StatusCode.Unimplemented, "The test server serves $all groups only."));

    private static RpcException NotFound(string group) =>
        Failure(StatusCode.NotFound, "persistent-subscription-does-not-exist", $"Subscription group '{group}' on stream '$all' does not exist.");

    private static RpcException Failure(StatusCode code, string exception, string detail) =>
        new(new Status(code, detail), new Metadata { { "exception", exception } });

    private static ReadResp Event(PersistentEvent delivered, bool structured)
    {
        var e = delivered.Event;
        return new ReadResp
        {
            Event = new ReadResp.Types.ReadEvent
            {
                Event = new ReadResp.Types.ReadEvent.Types.RecordedEvent
                {
                    Id = StreamsFacade.Uuid(e.EventId, structured),
                    StreamIdentifier = new StreamIdentifier { StreamName = ByteString.CopyFromUtf8(e.StreamId) },
                    StreamRevision = (ulong)e.Revision,
                    CommitPosition = (ulong)e.Position,
                    PreparePosition = (ulong)e.Position,
                    Metadata =
                    {
                        ["type"] = e.EventType,
                        ["content-type"] = "application/octet-stream",
                        ["created"] = (e.Created.UtcTicks - DateTime.UnixEpoch.Ticks).ToString(CultureInfo.InvariantCulture),
                    },
                    Data = ByteString.CopyFrom(e.Data.Span),
                    CustomMetadata = ByteString.CopyFrom(e.Metadata.Span),
                },
                CommitPosition = (ulong)e.Position,
                RetryCount = delivered.RetryCount,
            },
        };
    }
}
