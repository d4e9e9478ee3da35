using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AuditDashboard.Adapters.EventStoreDb.Protocol;
using Grpc.Core;
using Wire = AuditDashboard.Adapters.EventStoreDb.Protocol.Persistent;

namespace AuditDashboard.Adapters.EventStoreDb;

/// <summary>
/// One consumer's Read call on a persistent subscription group: events come down the response stream, acks and nacks go
/// up the request stream (one writer at a time). The port acks by the event's id; when the server delivered the event
/// through a link (a replayed parked event can come that way), the server expects the link's id, so the id to send is
/// remembered per delivered event. Acks and nacks are sent once: when the call broke, the subscription is dropped and the
/// server delivers the unacknowledged events again to the next connection.
/// </summary>
/// <param name="channelHold">Keeps the call's channel open until the subscription is disposed.</param>
internal sealed class EventStoreDbPersistentSubscription(
    string groupName, AsyncDuplexStreamingCall<Wire.ReadReq, Wire.ReadResp> call, IDisposable channelHold, long? startAfter = null) : IPersistentSubscription
{
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly ConcurrentDictionary<Guid, UUID> _ackIds = new();
    private readonly CancellationTokenSource _closing = new();
    private int _disposed;

    public string GroupName { get; } = groupName;

    public async IAsyncEnumerable<PersistentEvent> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        while (await MoveNextAsync(linked.Token, cancellationToken))
        {
            var response = call.ResponseStream.Current;
            if (response.ContentCase != Wire.ReadResp.ContentOneofCase.Event)
                continue;

            var read = response.Event;
            var recorded = EventStoreDbWire.ToRecorded(read);
            _ackIds[recorded.EventId] = (read.Link ?? read.Event)!.Id;

            // EventStoreDB starts a group at its start position; the port starts after it: that one event is acked unseen.
            if (recorded.Position == startAfter)
            {
                await AckAsync([recorded.EventId], cancellationToken);
                continue;
            }

            var retryCount = read.CountCase == Wire.ReadResp.Types.ReadEvent.CountOneofCase.RetryCount ? read.RetryCount : 0;
            yield return new PersistentEvent(recorded, retryCount);
        }
    }

    public Task AckAsync(IReadOnlyList<Guid> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        if (eventIds.Count == 0)
            return Task.CompletedTask;
        var ack = new Wire.ReadReq.Types.Ack();
        ack.Ids.AddRange(eventIds.Select(WireId));
        return WriteAsync(new Wire.ReadReq { Ack = ack }, cancellationToken);
    }

    public Task NackAsync(NackAction action, string reason, IReadOnlyList<Guid> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        if (eventIds.Count == 0)
            return Task.CompletedTask;
        var nack = new Wire.ReadReq.Types.Nack
        {
            Action = action switch
            {
                NackAction.Retry => Wire.ReadReq.Types.Nack.Types.Action.Retry,
                NackAction.Park => Wire.ReadReq.Types.Nack.Types.Action.Park,
                NackAction.Skip => Wire.ReadReq.Types.Nack.Types.Action.Skip,
                _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown nack action."),
            },
            Reason = reason ?? "",
        };
        nack.Ids.AddRange(eventIds.Select(WireId));
        return WriteAsync(new Wire.ReadReq { Nack = nack }, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return ValueTask.CompletedTask;

        // Ending the call is how a consumer leaves: the server takes its in-flight events back.
        _closing.Cancel();
        call.Dispose();
        channelHold.Dispose();
        return ValueTask.CompletedTask;
    }

    private bool Closing => Volatile.Read(ref _disposed) == 1;

    /// <summary>The id the server knows a delivered event by (its link's, when it came through one).</summary>
    private UUID WireId(Guid eventId) =>
        _ackIds.TryRemove(eventId, out var id) ? id : EventStoreDbWire.Uuid(eventId);

    /// <summary>True when an answer came; false when the consumer closed the subscription; throws when the server ended it.</summary>
    private async Task<bool> MoveNextAsync(CancellationToken token, CancellationToken callerToken)
    {
        bool more;
        try
        {
            more = await call.ResponseStream.MoveNext(token);
        }
        catch (Exception) when (Closing)
        {
            return false;
        }
        catch (Exception ex) when (callerToken.IsCancellationRequested && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            throw new OperationCanceledException("The persistent subscription read was cancelled.", ex, callerToken);
        }
        catch (RpcException ex)
        {
            throw new PersistentSubscriptionDroppedException(GroupName, $"{ex.StatusCode} {ex.Trailers.GetValue("exception")} {ex.Status.Detail}".Trim());
        }

        if (!more && !Closing)
            throw new PersistentSubscriptionDroppedException(GroupName, "the server ended the subscription");
        return more;
    }

    private async Task WriteAsync(Wire.ReadReq message, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Closing, this);
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await call.RequestStream.WriteAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            throw new PersistentSubscriptionDroppedException(GroupName, $"the connection ended before the {message.ContentCase.ToString().ToLowerInvariant()} was sent ({ex.Message})");
        }
        finally
        {
            _writing.Release();
        }
    }
}
