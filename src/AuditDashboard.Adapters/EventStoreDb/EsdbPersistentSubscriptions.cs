using System.Runtime.CompilerServices;
using System.Text.Json;
using AuditDashboard.Adapters.EventStoreDb.Protocol;
using Grpc.Core;
using static AuditDashboard.Adapters.EventStoreDb.EsdbReadRequests;
using Wire = AuditDashboard.Adapters.EventStoreDb.Protocol.Persistent;

namespace AuditDashboard.Adapters.EventStoreDb;

/// <summary>
/// Persistent subscriptions to <c>$all</c> over the v1 <c>event_store.client.persistent_subscriptions.PersistentSubscriptions</c>
/// service: groups with a stream-prefix filter, round robin, no link resolution.
/// </summary>
/// <remarks>
/// What EventStoreDB does not offer and this adapter therefore cannot either:
/// <list type="bullet">
/// <item>Its group info has no filter: <see cref="PersistentSubscriptionInfo.Settings"/> comes back with a null
/// <see cref="PersistentSubscriptionSettings.StreamPrefix"/>, and an update keeps the filter the group was created with
/// (the update request has no filter; a different prefix passed to <see cref="UpdateToAllAsync"/> is not applied).</item>
/// <item>There is no RPC that lists parked events: they are read from the parked stream
/// <c>$persistentsubscription-$all::&lt;group&gt;-parked</c>, whose records are links to the original events with the
/// server's JSON metadata (<c>added</c>, <c>reason</c>); the retry count is not kept there, so
/// <see cref="ParkedEvent.RetryCount"/> is 0, and a reason the server did not record reads as "parked". Reading that
/// stream needs an admin user on a secured server.</item>
/// </list>
/// </remarks>
/// <param name="calls">How calls reach the leader (which alone serves persistent subscriptions) and what their failures mean.</param>
/// <param name="streams">Reads the parked stream.</param>
internal sealed class EsdbPersistentSubscriptions(EsdbCalls calls, EsdbStreams streams) : IPersistentSubscriptions
{
    /// <summary>The server's settings beyond the port's: tuned for a handful of consumers and prompt checkpoints.</summary>
    private const int MessageTimeoutMs = 30_000;
    private const int CheckpointAfterMs = 1_000;
    private const int MinCheckpointCount = 1;
    private const int MaxCheckpointCount = 1_000;
    private const int LiveBufferSize = 500;
    private const int ReadBatchSize = 20;
    private const int HistoryBufferSize = 500;

    /// <summary>What a parked record's reason reads as when the server kept none.</summary>
    public const string UnknownParkReason = "parked";

    /// <summary>The stream EventStoreDB parks a <c>$all</c> group's events in (as links to them).</summary>
    public static string ParkedStreamOf(string groupName) => $"$persistentsubscription-$all::{groupName}-parked";

    /// <inheritdoc />
    public async Task CreateToAllAsync(string groupName, PersistentSubscriptionSettings settings, CancellationToken cancellationToken = default)
    {
        Validate(groupName, settings);
        var all = new Wire.CreateReq.Types.AllOptions();
        if (settings.StartAfter is { } start)
            all.Position = new Wire.CreateReq.Types.Position { CommitPosition = (ulong)start, PreparePosition = (ulong)start };
        else
            all.Start = Nothing;
        if (string.IsNullOrEmpty(settings.StreamPrefix))
        {
            all.NoFilter = Nothing;
        }
        else
        {
            all.Filter = new Wire.CreateReq.Types.AllOptions.Types.FilterOptions
            {
                StreamIdentifier = new Wire.CreateReq.Types.AllOptions.Types.FilterOptions.Types.Expression { Prefix = { settings.StreamPrefix } },
                Max = FilterWindow,
                CheckpointIntervalMultiplier = 1,
            };
        }

        var request = new Wire.CreateReq
        {
            Options = new Wire.CreateReq.Types.Options
            {
                All = all,
                GroupName = groupName,
                Settings = GroupSettings<Wire.CreateReq.Types.Settings>(settings),
            },
        };

        // Not retried after a missed deadline: the group may exist by then (a retry after an unreachable node that did
        // create it answers "exists", which callers treat as created by someone else).
        await ManageAsync($"creation of the persistent subscription '{groupName}'", groupName, EsdbRetry.Unreached, (node, token) => node.Persistent.CreateAsync(request, calls.Headers, calls.Deadline(), token).ResponseAsync, cancellationToken);
    }

    /// <inheritdoc />
    public async Task UpdateToAllAsync(string groupName, PersistentSubscriptionSettings settings, CancellationToken cancellationToken = default)
    {
        Validate(groupName, settings);
        var all = new Wire.UpdateReq.Types.AllOptions();
        if (settings.StartAfter is { } start)
            all.Position = new Wire.UpdateReq.Types.Position { CommitPosition = (ulong)start, PreparePosition = (ulong)start };
        else
            all.Start = Nothing;

        var request = new Wire.UpdateReq
        {
            Options = new Wire.UpdateReq.Types.Options
            {
                All = all,
                GroupName = groupName,
                Settings = GroupSettings<Wire.UpdateReq.Types.Settings>(settings),
            },
        };

        await ManageAsync($"update of the persistent subscription '{groupName}'", groupName, EsdbRetry.Idempotent, (node, token) => node.Persistent.UpdateAsync(request, calls.Headers, calls.Deadline(), token).ResponseAsync, cancellationToken);
    }

    // A call that manages a group (create, update, delete, replay its parked events): its failures read as the port's
    // errors about that group.
    private async Task ManageAsync<TResponse>(
        string what, string groupName, EsdbRetry retry, Func<EsdbNodeChannel, CancellationToken, Task<TResponse>> call, CancellationToken cancellationToken)
    {
        var attempts = new EsdbAttempts(what);
        try
        {
            await calls.RunAsync(retry, attempts, call, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw calls.TranslatePersistent(ex, groupName, attempts, cancellationToken);
        }
    }

    // Every group gets the same server settings; only the retry count comes from the port's settings.
    private static T GroupSettings<T>(PersistentSubscriptionSettings settings)
        where T : Wire.IGroupSettings, new()
    {
        var wire = new T
        {
            ResolveLinks = false,
            ExtraStatistics = false,
            MaxRetryCount = settings.MaxRetryCount,
            MinCheckpointCount = MinCheckpointCount,
            MaxCheckpointCount = MaxCheckpointCount,
            MaxSubscriberCount = 0,
            LiveBufferSize = LiveBufferSize,
            ReadBatchSize = ReadBatchSize,
            HistoryBufferSize = HistoryBufferSize,
            MessageTimeoutMs = MessageTimeoutMs,
            CheckpointAfterMs = CheckpointAfterMs,
        };
        wire.UseRoundRobin();
        return wire;
    }

    /// <inheritdoc />
    public async Task DeleteToAllAsync(string groupName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupName);
        var request = new Wire.DeleteReq { Options = new Wire.DeleteReq.Types.Options { All = Nothing, GroupName = groupName } };
        await ManageAsync($"deletion of the persistent subscription '{groupName}'", groupName, EsdbRetry.Unreached, (node, token) => node.Persistent.DeleteAsync(request, calls.Headers, calls.Deadline(), token).ResponseAsync, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The settings' stream prefix is null: EventStoreDB does not report a group's filter.</remarks>
    public async Task<PersistentSubscriptionInfo?> GetInfoToAllAsync(string groupName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupName);
        var request = new Wire.GetInfoReq { Options = new Wire.GetInfoReq.Types.Options { All = Nothing, GroupName = groupName } };
        var attempts = new EsdbAttempts($"info of the persistent subscription '{groupName}'");
        Wire.GetInfoResp response;
        try
        {
            response = await calls.RunAsync(EsdbRetry.Idempotent, attempts, (node, token) => node.Persistent.GetInfoAsync(request, calls.Headers, calls.Deadline(), token).ResponseAsync, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound && !EsdbNodes.IsNotLeader(ex))
        {
            return null;
        }
        catch (RpcException ex)
        {
            throw calls.TranslatePersistent(ex, groupName, attempts, cancellationToken);
        }

        var info = response.SubscriptionInfo ?? throw new InvalidDataException($"EventStoreDB at {attempts.Endpoint} answered an info request without the info.");
        return new PersistentSubscriptionInfo(
            groupName,
            new PersistentSubscriptionSettings(StreamPrefix: null, StartAfter: CommitPositionOf(info.StartFrom) is > 0 and var start ? start : null, info.MaxRetryCount),
            CommitPositionOf(info.LastCheckpointedEventPosition),
            info.ParkedMessageCount,
            info.Connections.Count);
    }

    /// <inheritdoc />
    public async Task<IPersistentSubscription> SubscribeToAllAsync(string groupName, int bufferSize, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupName);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        var what = $"connection to the persistent subscription '{groupName}'";

        // The group's start position, which the server delivers although the port's groups start after it.
        var info = await GetInfoToAllAsync(groupName, cancellationToken);
        var startAfter = info?.Settings.StartAfter;

        // Retried until the server confirmed the connection (nothing was delivered, so nothing can be acked twice); a
        // follower sends the connection on to the leader, which alone serves persistent subscriptions.
        var attempts = new EsdbAttempts(what);
        try
        {
            return await calls.RunAsync(EsdbRetry.Unreached, attempts, (node, _) => ConnectPersistentAsync(node, groupName, bufferSize, startAfter, what, cancellationToken), cancellationToken);
        }
        catch (RpcException ex)
        {
            if (ex.StatusCode == StatusCode.Cancelled && !cancellationToken.IsCancellationRequested)
                throw new EventStoreUnavailableException($"EventStoreDB at {attempts.Endpoint} did not confirm the {what} within {calls.DefaultDeadline.TotalSeconds:0.#} s (defaultDeadline).", ex);
            throw calls.TranslatePersistent(ex, groupName, attempts, cancellationToken);
        }
    }

    private async Task<IPersistentSubscription> ConnectPersistentAsync(EsdbNodeChannel node, string groupName, int bufferSize, long? startAfter, string what, CancellationToken cancellationToken)
    {
        // The call outlives this method: only disposing the subscription (or the store) ends it; it holds the channel meanwhile.
        var lease = node.Lease();
        var call = node.Persistent.Read(calls.Headers, deadline: null, CancellationToken.None);
        try
        {
            try
            {
                await call.RequestStream.WriteAsync(new Wire.ReadReq
                {
                    Options = new Wire.ReadReq.Types.Options
                    {
                        All = Nothing,
                        GroupName = groupName,
                        BufferSize = bufferSize,
                        UuidOption = new Wire.ReadReq.Types.Options.Types.UUIDOption { Structured = Nothing },
                    },
                }, cancellationToken);
            }
            catch (InvalidOperationException) when (!cancellationToken.IsCancellationRequested)
            {
                // The server answered already (it refused the call): its status, read below, says why.
            }
            catch (RpcException) when (!cancellationToken.IsCancellationRequested)
            {
                // Likewise: the status read below says why.
            }

            using var confirmation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            confirmation.CancelAfter(calls.DefaultDeadline);
            if (!await call.ResponseStream.MoveNext(confirmation.Token)
                || call.ResponseStream.Current.ContentCase != Wire.ReadResp.ContentOneofCase.SubscriptionConfirmation)
            {
                throw new EventStoreUnavailableException($"EventStoreDB at {node.Endpoint} did not confirm the {what}.");
            }
        }
        catch
        {
            call.Dispose();
            lease.Dispose();
            throw;
        }

        return new EventStoreDbPersistentSubscription(groupName, call, lease, startAfter);
    }

    /// <inheritdoc />
    /// <remarks>Read from the group's parked stream; see the class remarks for what that stream does not keep.</remarks>
    public async IAsyncEnumerable<ParkedEvent> ReadParkedAsync(string groupName, long maxCount, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupName);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        if (maxCount == 0)
            yield break;

        var request = Request(Direction.Forwards, (ulong)maxCount);
        request.Options.ResolveLinks = true;
        request.Options.Stream = new ReadReq.Types.Options.Types.StreamOptions { StreamIdentifier = EventStoreDbWire.StreamId(ParkedStreamOf(groupName)), Start = Nothing };
        await foreach (var read in streams.ReadRawAsync(request, bounded: false, $"read of the parked events of '{groupName}'", cancellationToken))
        {
            // A link whose event is gone (deleted or scavenged) cannot be shown.
            if (read.Event is null || read.Link is null)
                continue;
            var (reason, parkedAt) = ParkedMetadata(read.Link);
            yield return new ParkedEvent(EventStoreDbWire.ToRecorded(read), reason, parkedAt, RetryCount: 0);
        }
    }

    /// <inheritdoc />
    public async Task ReplayParkedAsync(string groupName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupName);
        var request = new Wire.ReplayParkedReq { Options = new Wire.ReplayParkedReq.Types.Options { GroupName = groupName, All = Nothing, NoLimit = Nothing } };
        await ManageAsync($"replay of the parked events of '{groupName}'", groupName, EsdbRetry.Unreached, (node, token) => node.Persistent.ReplayParkedAsync(request, calls.Headers, calls.Deadline(), token).ResponseAsync, cancellationToken);
    }

    private static void Validate(string groupName, PersistentSubscriptionSettings settings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupName);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.MaxRetryCount);
        if (settings.StartAfter is { } start)
            ArgumentOutOfRangeException.ThrowIfNegative(start);
    }

    /// <summary>The commit part of a position as the server writes it ("C:123/P:120"), or null for none ("" or negative).</summary>
    private static long? CommitPositionOf(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var commit = text.Trim();
        if (commit.StartsWith("C:", StringComparison.OrdinalIgnoreCase))
        {
            var slash = commit.IndexOf('/', StringComparison.Ordinal);
            commit = slash < 0 ? commit[2..] : commit[2..slash];
        }

        return long.TryParse(commit, NumberStyles.Integer, CultureInfo.InvariantCulture, out var position)
            ? position < 0 ? null : position
            : throw new InvalidDataException($"EventStoreDB sent a position that is not one: '{text}'.");
    }

    /// <summary>The reason and time a parked record's JSON metadata carries (the server writes <c>added</c> and <c>reason</c>).</summary>
    private static (string Reason, DateTimeOffset ParkedAt) ParkedMetadata(ReadResp.Types.ReadEvent.Types.RecordedEvent link)
    {
        string? reason = null;
        DateTimeOffset? added = null;
        try
        {
            using var json = JsonDocument.Parse(link.CustomMetadata.Memory);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in json.RootElement.EnumerateObject())
                {
                    if (property.NameEquals("reason") || property.NameEquals("Reason"))
                        reason = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    else if ((property.NameEquals("added") || property.NameEquals("Added")) && property.Value.ValueKind == JsonValueKind.String
                             && DateTimeOffset.TryParse(property.Value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                        added = time;
                }
            }
        }
        catch (JsonException)
        {
            // No readable metadata: what the record itself says.
        }

        return (string.IsNullOrEmpty(reason) ? UnknownParkReason : reason, added ?? EventStoreDbWire.Created(link.Metadata));
    }
}
