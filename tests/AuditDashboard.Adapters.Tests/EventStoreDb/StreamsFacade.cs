using System.Globalization;
using AuditDashboard.Adapters.EventStoreDb.Protocol;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Empty = AuditDashboard.Adapters.EventStoreDb.Protocol.Empty;

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>
/// The server side of EventStoreDB's v1 <c>Streams</c> service (stubs generated in this project from the adapter's
/// .proto files) over an <see cref="IEventStore"/>: it answers the way EventStoreDB does as far as the adapter relies on
/// it (stream-not-found on reads, exclusive subscription starts, a confirmation first, caught_up, the current and legacy
/// conflict fields, the required "type" and "content-type" metadata), so the adapter is tested through real bytes.
/// </summary>
internal sealed class StreamsFacade(IEventStore store) : Streams.StreamsBase
{
    private static readonly Empty Nothing = new();

    public override async Task<AppendResp> Append(IAsyncStreamReader<AppendReq> requestStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (!await requestStream.MoveNext(ct) || requestStream.Current.ContentCase != AppendReq.ContentOneofCase.Options)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The first append message must carry the options."));

        var options = requestStream.Current.Options;
        var streamId = options.StreamIdentifier.StreamName.ToStringUtf8();
        var expected = options.ExpectedStreamRevisionCase switch
        {
            AppendReq.Types.Options.ExpectedStreamRevisionOneofCase.Any => ExpectedRevision.Any,
            AppendReq.Types.Options.ExpectedStreamRevisionOneofCase.NoStream => ExpectedRevision.NoStream,
            AppendReq.Types.Options.ExpectedStreamRevisionOneofCase.StreamExists => ExpectedRevision.StreamExists,
            AppendReq.Types.Options.ExpectedStreamRevisionOneofCase.Revision => ExpectedRevision.Exact(checked((long)options.Revision)),
            _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "The append options carry no expected revision.")),
        };

        var events = new List<EventData>();
        while (await requestStream.MoveNext(ct))
        {
            var proposed = requestStream.Current.ProposedMessage
                ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "Only proposed messages may follow the options."));
            events.Add(new EventData(ToGuid(proposed.Id), Required(proposed, "type"), proposed.Data.ToByteArray(), proposed.CustomMetadata.ToByteArray()));
            var contentType = Required(proposed, "content-type");
            if (contentType is not ("application/json" or "application/octet-stream"))
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"Unsupported content-type '{contentType}'."));
        }

        try
        {
            var result = await store.AppendAsync(streamId, expected, events, ct);
            var success = new AppendResp.Types.Success();
            if (result.NextExpectedRevision >= 0)
                success.CurrentRevision = (ulong)result.NextExpectedRevision;
            else
                success.NoStream = Nothing;
            if (result.Position >= 0)
                success.Position = new AppendResp.Types.Position { CommitPosition = (ulong)result.Position, PreparePosition = (ulong)result.Position };
            else
                success.NoPosition = Nothing;
            return new AppendResp { Success = success };
        }
        catch (WrongExpectedRevisionException conflict)
        {
            return new AppendResp { WrongExpectedVersion = Conflict(conflict) };
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
    }

    public override async Task Read(ReadReq request, IServerStreamWriter<ReadResp> responseStream, ServerCallContext context)
    {
        var options = request.Options;
        var ct = context.CancellationToken;
        var subscription = options.CountOptionCase == ReadReq.Types.Options.CountOptionOneofCase.Subscription;
        var structured = options.UuidOption?.ContentCase == ReadReq.Types.Options.Types.UUIDOption.ContentOneofCase.Structured;
        var backwards = options.ReadDirection == ReadReq.Types.Options.Types.ReadDirection.Backwards;
        var direction = backwards ? Direction.Backwards : Direction.Forwards;

        try
        {
            switch (options.StreamOptionCase)
            {
                case ReadReq.Types.Options.StreamOptionOneofCase.Stream:
                    var stream = options.Stream;
                    var streamId = stream.StreamIdentifier.StreamName.ToStringUtf8();
                    if (subscription)
                    {
                        var after = stream.RevisionOptionCase switch
                        {
                            ReadReq.Types.Options.Types.StreamOptions.RevisionOptionOneofCase.Revision => (long?)checked((long)stream.Revision),
                            ReadReq.Types.Options.Types.StreamOptions.RevisionOptionOneofCase.End => await store.GetLastRevisionAsync(streamId, ct),
                            _ => null,
                        };
                        await ConfirmAsync(responseStream, ct);
                        await ForwardAsync(store.SubscribeToStreamAsync(streamId, after, ct), responseStream, structured, ct);
                        return;
                    }

                    if (PersistentSubscriptionsFacade.ParkedGroupOf(streamId) is { } group && store is IPersistentSubscriptions groups)
                    {
                        await ReadParkedAsync(groups, group, stream, options, responseStream, structured, ct);
                        return;
                    }

                    if (await store.GetLastRevisionAsync(streamId, ct) is null)
                    {
                        await responseStream.WriteAsync(new ReadResp { StreamNotFound = new ReadResp.Types.StreamNotFound { StreamIdentifier = stream.StreamIdentifier } }, ct);
                        return;
                    }

                    var from = stream.RevisionOptionCase switch
                    {
                        ReadReq.Types.Options.Types.StreamOptions.RevisionOptionOneofCase.Revision => checked((long)stream.Revision),
                        ReadReq.Types.Options.Types.StreamOptions.RevisionOptionOneofCase.End => StreamRevision.End,
                        _ => backwards ? StreamRevision.End : StreamRevision.Start,
                    };
                    await foreach (var e in store.ReadStreamAsync(streamId, direction, from, Count(options.Count), ct))
                        await responseStream.WriteAsync(Event(e, structured), ct);
                    return;

                case ReadReq.Types.Options.StreamOptionOneofCase.All:
                    var all = options.All;
                    var prefix = Prefix(options);
                    if (subscription)
                    {
                        var after = all.AllOptionCase switch
                        {
                            ReadReq.Types.Options.Types.AllOptions.AllOptionOneofCase.Position => (long?)checked((long)all.Position.CommitPosition),
                            ReadReq.Types.Options.Types.AllOptions.AllOptionOneofCase.End =>
                                await store.ReadAllAsync(Direction.Backwards, AllPosition.End, 1, null, ct).Select(e => (long?)e.Position).FirstOrDefaultAsync(ct),
                            _ => null,
                        };
                        await ConfirmAsync(responseStream, ct);
                        await ForwardAsync(store.SubscribeToAllAsync(after, prefix, ct), responseStream, structured, ct);
                        return;
                    }

                    // As EventStoreDB does, a backwards read from a position starts strictly before it.
                    var position = all.AllOptionCase switch
                    {
                        ReadReq.Types.Options.Types.AllOptions.AllOptionOneofCase.Position when backwards => checked((long)all.Position.CommitPosition) - 1,
                        ReadReq.Types.Options.Types.AllOptions.AllOptionOneofCase.Position => checked((long)all.Position.CommitPosition),
                        ReadReq.Types.Options.Types.AllOptions.AllOptionOneofCase.End => AllPosition.End,
                        _ => backwards ? AllPosition.End : AllPosition.Start,
                    };
                    await foreach (var e in store.ReadAllAsync(direction, position, Count(options.Count), prefix, ct))
                        await responseStream.WriteAsync(Event(e, structured), ct);
                    return;

                default:
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "A read names neither a stream nor $all."));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away (a cancelled subscription, an abandoned read).
        }
    }

    /// <summary>
    /// A read of a $all group's parked stream, as EventStoreDB keeps it: one link record per parked event (type "$>",
    /// data "revision@stream", JSON metadata with the time and the reason), resolved to the event when asked. The records
    /// come from the store's parked list, so their revisions are indexes into the current list (on the server they never
    /// shift) and their ids are made up per read.
    /// </summary>
    private static async Task ReadParkedAsync(
        IPersistentSubscriptions groups,
        string group,
        ReadReq.Types.Options.Types.StreamOptions stream,
        ReadReq.Types.Options options,
        IServerStreamWriter<ReadResp> responseStream,
        bool structured,
        CancellationToken ct)
    {
        var parked = await groups.ReadParkedAsync(group, long.MaxValue, ct).ToListAsync(ct);
        if (parked.Count == 0)
        {
            await responseStream.WriteAsync(new ReadResp { StreamNotFound = new ReadResp.Types.StreamNotFound { StreamIdentifier = stream.StreamIdentifier } }, ct);
            return;
        }

        var records = parked.Select((p, revision) => (Parked: p, Revision: (long)revision)).ToList();
        if (options.ReadDirection == ReadReq.Types.Options.Types.ReadDirection.Backwards)
            records.Reverse();
        if (stream.RevisionOptionCase == ReadReq.Types.Options.Types.StreamOptions.RevisionOptionOneofCase.Revision)
        {
            var from = checked((long)stream.Revision);
            records = options.ReadDirection == ReadReq.Types.Options.Types.ReadDirection.Backwards
                ? [.. records.Where(r => r.Revision <= from)]
                : [.. records.Where(r => r.Revision >= from)];
        }

        foreach (var (p, revision) in records.Take((int)Math.Min(Count(options.Count), int.MaxValue)))
        {
            var link = new ReadResp.Types.ReadEvent.Types.RecordedEvent
            {
                Id = Uuid(Guid.NewGuid(), structured),
                StreamIdentifier = stream.StreamIdentifier,
                StreamRevision = (ulong)revision,
                Metadata =
                {
                    ["type"] = "$>",
                    ["content-type"] = "application/octet-stream",
                    ["created"] = (p.ParkedAt.UtcTicks - DateTime.UnixEpoch.Ticks).ToString(CultureInfo.InvariantCulture),
                },
                Data = ByteString.CopyFromUtf8($"{p.Event.Revision}@{p.Event.StreamId}"),
                CustomMetadata = ByteString.CopyFrom(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new
                {
                    added = p.ParkedAt.ToString("o", CultureInfo.InvariantCulture),
                    reason = p.Reason,
                    subscriptionEventNumber = p.Event.Revision,
                })),
            };
            var read = Event(p.Event, structured).Event;
            await responseStream.WriteAsync(new ReadResp
            {
                Event = options.ResolveLinks
                    ? new ReadResp.Types.ReadEvent { Event = read.Event, Link = link, CommitPosition = read.CommitPosition }
                    : new ReadResp.Types.ReadEvent { Event = link, NoPosition = Nothing },
            }, ct);
        }
    }

    private static long Count(ulong count) => count > long.MaxValue ? long.MaxValue : (long)count;

    /// <summary>The one stream-id prefix of a filter, or null; what the facade cannot honour is refused, never ignored.</summary>
    private static string? Prefix(ReadReq.Types.Options options)
    {
        if (options.FilterOptionCase != ReadReq.Types.Options.FilterOptionOneofCase.Filter)
            return null;
        var filter = options.Filter;
        if (filter.FilterCase != ReadReq.Types.Options.Types.FilterOptions.FilterOneofCase.StreamIdentifier
            || filter.StreamIdentifier.Prefix.Count != 1
            || filter.StreamIdentifier.Regex.Length > 0)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "The test server filters on exactly one stream-id prefix."));
        }

        if (filter.WindowCase == ReadReq.Types.Options.Types.FilterOptions.WindowOneofCase.None || filter.CheckpointIntervalMultiplier == 0)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "A filter needs a window and a checkpoint interval multiplier above 0."));
        return filter.StreamIdentifier.Prefix[0];
    }

    private static Task ConfirmAsync(IServerStreamWriter<ReadResp> responseStream, CancellationToken ct) =>
        responseStream.WriteAsync(new ReadResp { Confirmation = new ReadResp.Types.SubscriptionConfirmation { SubscriptionId = Guid.NewGuid().ToString() } }, ct);

    private static async Task ForwardAsync(IAsyncEnumerable<SubscriptionMessage> messages, IServerStreamWriter<ReadResp> responseStream, bool structured, CancellationToken ct)
    {
        await foreach (var message in messages.WithCancellation(ct))
        {
            await responseStream.WriteAsync(message switch
            {
                SubscriptionMessage.EventAppeared appeared => Event(appeared.Record, structured),
                _ => new ReadResp { CaughtUp = new ReadResp.Types.CaughtUp { Timestamp = Timestamp.FromDateTime(DateTime.UtcNow) } },
            }, ct);
        }
    }

    private static ReadResp Event(RecordedEvent e, bool structured) => new()
    {
        Event = new ReadResp.Types.ReadEvent
        {
            Event = new ReadResp.Types.ReadEvent.Types.RecordedEvent
            {
                Id = Uuid(e.EventId, structured),
                StreamIdentifier = new StreamIdentifier { StreamName = ByteString.CopyFromUtf8(e.StreamId) },
                StreamRevision = (ulong)e.Revision,
                CommitPosition = (ulong)e.Position,
                PreparePosition = (ulong)e.Position,
                Metadata =
                {
                    ["type"] = e.EventType,
                    // The SQLite store keeps no content type; EventStoreDB would echo what was appended.
                    ["content-type"] = "application/octet-stream",
                    ["created"] = (e.Created.UtcTicks - DateTime.UnixEpoch.Ticks).ToString(CultureInfo.InvariantCulture),
                },
                Data = ByteString.CopyFrom(e.Data.Span),
                CustomMetadata = ByteString.CopyFrom(e.Metadata.Span),
            },
            CommitPosition = (ulong)e.Position,
        },
    };

    private static AppendResp.Types.WrongExpectedVersion Conflict(WrongExpectedRevisionException conflict)
    {
        var answer = new AppendResp.Types.WrongExpectedVersion();
        if (conflict.ActualRevision is { } actual)
        {
            answer.CurrentRevision = (ulong)actual;
            answer.CurrentRevision2060 = (ulong)actual;
        }
        else
        {
            answer.CurrentNoStream = Nothing;
            answer.NoStream2060 = Nothing;
        }

        var expected = conflict.Expected;
        if (expected.IsAny)
            answer.ExpectedAny = Nothing;
        else if (expected.IsNoStream)
            answer.ExpectedNoStream = Nothing;
        else if (expected.IsStreamExists)
            answer.ExpectedStreamExists = Nothing;
        else
            answer.ExpectedRevision = (ulong)expected.Value;
        return answer;
    }

    private static string Required(AppendReq.Types.ProposedMessage proposed, string key) =>
        proposed.Metadata.TryGetValue(key, out var value) && value.Length > 0
            ? value
            : throw new RpcException(new Status(StatusCode.InvalidArgument, $"Required metadata property '{key}' is missing."));

    // Written here independently of the adapter's EsdbUuid, so a byte-order slip on either side fails the round trip.
    internal static Guid ToGuid(UUID id)
    {
        if (id.ValueCase == UUID.ValueOneofCase.String)
            return Guid.Parse(id.String, CultureInfo.InvariantCulture);
        var bytes = new byte[16];
        for (var i = 0; i < 8; i++)
        {
            bytes[i] = (byte)(id.Structured.MostSignificantBits >> (56 - (8 * i)));
            bytes[8 + i] = (byte)(id.Structured.LeastSignificantBits >> (56 - (8 * i)));
        }

        return Guid.ParseExact(Convert.ToHexString(bytes), "N");
    }

    internal static UUID Uuid(Guid id, bool structured)
    {
        if (!structured)
            return new UUID { String = id.ToString() };
        var hex = id.ToString("N");
        return new UUID
        {
            Structured = new UUID.Types.Structured
            {
                MostSignificantBits = unchecked((long)ulong.Parse(hex[..16], NumberStyles.HexNumber, CultureInfo.InvariantCulture)),
                LeastSignificantBits = unchecked((long)ulong.Parse(hex[16..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)),
            },
        };
    }
}
